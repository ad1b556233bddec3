// Helpers for tests/kafka: a cluster config pointed at a mock cluster, a log collector, and a
// minimal HTTP/1.1 server on 127.0.0.1 (OAuth token endpoint).
#ifndef TICK_TESTS_KAFKA_KAFKA_TEST_UTIL_H_
#define TICK_TESTS_KAFKA_KAFKA_TEST_UTIL_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "kafka/config.h"
#include "kafka/producer.h"

namespace tick::kafka::testing {

inline ClusterConfig MockConfig(const std::string& id, const std::string& bootstraps) {
  ClusterConfig c;
  c.enabled = true;
  c.id = id;
  c.brokers = {bootstraps};
  c.batch_timeout = absl::Milliseconds(5);
  return c;
}

// Collects log lines from a Producer.
class LogCollector {
 public:
  LogFn Fn() {
    return [this](LogLevel level, std::string_view line) {
      absl::MutexLock lock(&mu_);
      lines_.emplace_back(level, std::string(line));
    };
  }
  std::vector<std::string> Lines(LogLevel at_least) const {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> out;
    for (const auto& [l, s] : lines_) {
      if (static_cast<int>(l) >= static_cast<int>(at_least)) out.push_back(s);
    }
    return out;
  }
  std::string All() const {
    absl::MutexLock lock(&mu_);
    std::string out;
    for (const auto& [l, s] : lines_) out += s + "\n";
    return out;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::pair<LogLevel, std::string>> lines_;
};

// A one-request-per-connection HTTP server. The handler receives the raw request (headers and
// body) and returns {status, body}.
class HttpServer {
 public:
  using Handler = std::function<std::pair<int, std::string>(const std::string& request)>;
  explicit HttpServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 16);
    thread_ = std::thread([this] { Serve(); });
  }
  ~HttpServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int requests() const { return requests_.load(); }
  std::string last_request() const {
    absl::MutexLock lock(&mu_);
    return last_;
  }

 private:
  void Serve() {
    while (!stop_) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string req;
      char buf[4096];
      size_t want = std::string::npos;
      while (true) {
        ssize_t n = read(c, buf, sizeof(buf));
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
        size_t hdr_end = req.find("\r\n\r\n");
        if (hdr_end != std::string::npos && want == std::string::npos) {
          size_t cl = req.find("Content-Length: ");
          size_t body_len = 0;
          if (cl != std::string::npos && cl < hdr_end) body_len = std::stoul(req.substr(cl + 16));
          want = hdr_end + 4 + body_len;
        }
        if (want != std::string::npos && req.size() >= want) break;
      }
      {
        absl::MutexLock lock(&mu_);
        last_ = req;
      }
      ++requests_;
      auto [status, body] = handler_(req);
      std::string resp = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " +
                         "application/json\r\nContent-Length: " + std::to_string(body.size()) +
                         "\r\nConnection: close\r\n\r\n" + body;
      (void)!write(c, resp.data(), resp.size());
      close(c);
    }
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  mutable absl::Mutex mu_;
  std::string last_;
  std::thread thread_;
};

}  // namespace tick::kafka::testing

#endif  // TICK_TESTS_KAFKA_KAFKA_TEST_UTIL_H_
