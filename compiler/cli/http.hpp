// HTTP requests to a platform's API through libcurl (opened at run time): TLS verified, a bearer
// token that is never printed, and a timeout on every request.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cadence::cli {

struct HttpResponse {
  /// The status code; 0 when no answer came (then `error` says why).
  long status = 0;
  std::string body;
  /// Header names in lower case.
  std::map<std::string, std::string> headers;
  std::string error;
  /// No answer came because no connection was made: nothing reached the
  /// platform, so sending again cannot duplicate anything.
  bool unsent = false;
};

class HttpClient {
 public:
  /// `base_url` is the API's root ("https://api.outreach.io"); paths are
  /// appended to it.
  HttpClient(std::string base_url, std::string token, std::chrono::seconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// `extra_headers`: more headers, one a line ("OData-Version: 4.0").
  [[nodiscard]] HttpResponse send(std::string_view method, std::string_view path, std::string_view body,
                                  std::string_view content_type, std::string_view extra_headers = {});

  /// Why no request can be sent (libcurl, opened at the first request, is
  /// missing or unusable); nothing when requests can be sent.
  [[nodiscard]] static std::optional<std::string> unavailable();

 private:
  struct Curl;
  std::unique_ptr<Curl> curl_;
  std::string base_url_;
  std::string token_;
  std::chrono::seconds timeout_;
};

/// Whether `url` may carry a token: https, or http to this machine only
/// (127.0.0.1, ::1, localhost), where nothing crosses a network.
[[nodiscard]] bool safe_base_url(std::string_view url);

}  // namespace cadence::cli
