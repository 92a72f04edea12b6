#include "cli/http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

namespace cadence::cli {
namespace {

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
  static std::once_flag initialised;
  std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  while (base_url_.ends_with('/')) base_url_.pop_back();
  curl_->handle = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_->handle != nullptr) curl_easy_cleanup(curl_->handle);
}

HttpResponse HttpClient::send(std::string_view method, std::string_view path, std::string_view body,
                              std::string_view content_type) {
  HttpResponse response;
  CURL* curl = curl_->handle;
  if (curl == nullptr) {
    response.error = "the HTTP library could not start";
    return response;
  }
  curl_easy_reset(curl);
  const std::string url = base_url_ + std::string(path);
  const std::string verb(method);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, verb.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min<long>(timeout_.count(), 10)));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "cadence-apply");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  // On a reused connection that closes without an answer, libcurl sends the
  // request again by itself; for a POST that could create a record twice.
  // A POST gets a connection of its own, so a lost answer is reported.
  if (method == "POST") curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
  struct curl_slist* headers = nullptr;
  const std::string authorization = "Authorization: Bearer " + token_;
  headers = curl_slist_append(headers, authorization.c_str());
  headers = curl_slist_append(headers, fmt::format("Accept: {}", content_type).c_str());
  if (!body.empty()) {
    headers = curl_slist_append(headers, fmt::format("Content-Type: {}", content_type).c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    response.error = curl_easy_strerror(code);
    response.unsent = code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT ||
                      code == CURLE_COULDNT_RESOLVE_PROXY || code == CURLE_UNSUPPORTED_PROTOCOL ||
                      code == CURLE_URL_MALFORMAT;
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
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
