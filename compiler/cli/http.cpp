#include "cli/http.hpp"

// libcurl is opened when the first request is about to be sent, not linked:
// linked, it brought about thirty shared libraries (TLS, Kerberos, LDAP...)
// that the loader mapped and relocated at every start of every command,
// which made `cadence --version` take 27 ms instead of 4 (docs/performance.md).
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

namespace cadence::cli {
namespace {

/// The functions of libcurl that the client calls, from the library opened
/// at run time.
struct CurlApi {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_reset) easy_reset = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  /// Why the library could not be used; empty when it can.
  std::string error;
};

template <typename Function>
bool resolve(void* library, const char* name, Function& into, std::string& error) {
  void* address = dlsym(library, name);
  if (address == nullptr) {
    if (error.empty()) error = fmt::format("libcurl has no function '{}'", name);
    return false;
  }
  into = reinterpret_cast<Function>(address);
  return true;
}

CurlApi open_curl() {
  CurlApi api;
  void* library = nullptr;
  // CADENCE_LIBCURL names the library to open; otherwise Debian's libcurl4
  // (OpenSSL), then its GnuTLS build, then any other.
  const char* chosen = std::getenv("CADENCE_LIBCURL");
  std::vector<const char*> names{"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};
  if (chosen != nullptr && *chosen != '\0') names = {chosen};
  for (const char* name : names) {
    library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library != nullptr) break;
  }
  if (library == nullptr) {
    const char* why = dlerror();
    api.error = fmt::format("cannot load libcurl ({}; Debian's package libcurl4 provides it): {}",
                            names.size() == 1 ? names.front() : "libcurl.so.4", why != nullptr ? why : "not found");
    return api;
  }
  // Kept open for the life of the process.
  resolve(library, "curl_global_init", api.global_init, api.error);
  resolve(library, "curl_easy_init", api.easy_init, api.error);
  resolve(library, "curl_easy_cleanup", api.easy_cleanup, api.error);
  resolve(library, "curl_easy_reset", api.easy_reset, api.error);
  resolve(library, "curl_easy_setopt", api.easy_setopt, api.error);
  resolve(library, "curl_easy_perform", api.easy_perform, api.error);
  resolve(library, "curl_easy_getinfo", api.easy_getinfo, api.error);
  resolve(library, "curl_easy_strerror", api.easy_strerror, api.error);
  resolve(library, "curl_slist_append", api.slist_append, api.error);
  resolve(library, "curl_slist_free_all", api.slist_free_all, api.error);
  if (api.error.empty() && api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    api.error = "libcurl could not start";
  }
  return api;
}

const CurlApi& curl_api() {
  static const CurlApi api = open_curl();
  return api;
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* into) {
  static_cast<std::string*>(into)->append(data, size * count);
  return size * count;
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* into) {
  const std::string_view line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    (*static_cast<std::map<std::string, std::string>*>(into))[name] = std::string(value);
  }
  return size * count;
}

}  // namespace

struct HttpClient::Curl {
  CURL* handle = nullptr;
};

HttpClient::HttpClient(std::string base_url, std::string token, std::chrono::seconds timeout)
    : curl_(std::make_unique<Curl>()), base_url_(std::move(base_url)), token_(std::move(token)), timeout_(timeout) {
  while (base_url_.ends_with('/')) base_url_.pop_back();
  if (curl_api().error.empty()) curl_->handle = curl_api().easy_init();
}

HttpClient::~HttpClient() {
  if (curl_->handle != nullptr) curl_api().easy_cleanup(curl_->handle);
}

std::optional<std::string> HttpClient::unavailable() {
  if (curl_api().error.empty()) return std::nullopt;
  return curl_api().error;
}

HttpResponse HttpClient::send(std::string_view method, std::string_view path, std::string_view body,
                              std::string_view content_type, std::string_view extra_headers) {
  HttpResponse response;
  CURL* curl = curl_->handle;
  if (curl == nullptr) {
    response.error = curl_api().error.empty() ? "the HTTP library could not start" : curl_api().error;
    response.unsent = true;
    return response;
  }
  const CurlApi& api = curl_api();
  api.easy_reset(curl);
  const std::string url = base_url_ + std::string(path);
  const std::string verb(method);
  api.easy_setopt(curl, CURLOPT_URL, url.c_str());
  api.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, verb.c_str());
  api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  api.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  api.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  api.easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(timeout_.count()));
  api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min<long>(timeout_.count(), 10)));
  api.easy_setopt(curl, CURLOPT_USERAGENT, "cadence-apply");
  api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  // On a reused connection that closes without an answer, libcurl sends the
  // request again by itself; for a POST that could create a record twice.
  // A POST gets a connection of its own, so a lost answer is reported.
  if (method == "POST") api.easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
  struct curl_slist* headers = nullptr;
  const std::string authorization = "Authorization: Bearer " + token_;
  headers = api.slist_append(headers, authorization.c_str());
  headers = api.slist_append(headers, fmt::format("Accept: {}", content_type).c_str());
  for (std::size_t start = 0; start < extra_headers.size();) {
    const std::size_t end = std::min(extra_headers.find('\n', start), extra_headers.size());
    headers = api.slist_append(headers, std::string(extra_headers.substr(start, end - start)).c_str());
    start = end + 1;
  }
  if (!body.empty()) {
    headers = api.slist_append(headers, fmt::format("Content-Type: {}", content_type).c_str());
    api.easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    api.easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  api.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  api.easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
  api.easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  const CURLcode code = api.easy_perform(curl);
  api.slist_free_all(headers);
  if (code != CURLE_OK) {
    response.error = api.easy_strerror(code);
    response.unsent = code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT ||
                      code == CURLE_COULDNT_RESOLVE_PROXY || code == CURLE_UNSUPPORTED_PROTOCOL ||
                      code == CURLE_URL_MALFORMAT;
    return response;
  }
  api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

bool safe_base_url(std::string_view url) {
  if (url.starts_with("https://")) return true;
  if (!url.starts_with("http://")) return false;
  std::string_view host = url.substr(7);
  host = host.substr(0, host.find('/'));
  if (host.starts_with("[::1]")) return true;
  host = host.substr(0, host.find(':'));
  return host == "127.0.0.1" || host == "localhost";
}

}  // namespace cadence::cli
