// File: nodes/log_handler.cc
#include "nodes/log_handler.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/strings.h"

namespace tick::nodes {
namespace {

class LogHandler final : public AlertHandler {
 public:
  LogHandler(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~LogHandler() override {
    if (fd_ >= 0) ::close(fd_);
  }

  void Handle(const AlertEventData&, std::string_view json) override {
    ++stats_.events;
    if (fd_ < 0) {
      ++stats_.failed;
      return;
    }
    size_t done = 0;
    while (done < json.size()) {
      const ssize_t n = ::write(fd_, json.data() + done, json.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        ++stats_.failed;
        if (!warned_) {
          warned_ = true;
          std::fprintf(stderr, "log handler: failed to write \"%s\": %s\n", path_.c_str(),
                       std::strerror(errno));
        }
        return;
      }
      done += static_cast<size_t>(n);
    }
    ++stats_.delivered;
  }

  absl::Status Close(absl::Duration) override {
    if (fd_ >= 0) {
      const int rc = ::close(fd_);
      fd_ = -1;
      if (rc != 0) {
        return absl::InternalError(absl::StrCat("closing \"", path_, "\": ", std::strerror(errno)));
      }
    }
    return absl::OkStatus();
  }

  HandlerStats stats() const override { return stats_; }
  std::string name() const override { return absl::StrCat("log(", path_, ")"); }

 private:
  std::string path_;
  int fd_;
  HandlerStats stats_;
  bool warned_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<AlertHandler>> CreateLogHandler(const interp::HandlerSpec& spec) {
  std::string path;
  int mode = kDefaultLogHandlerMode;
  for (const interp::HandlerOption& o : spec.options) {
    if (o.name == "path") {
      const auto* s = std::get_if<std::string>(&o.value);
      if (s == nullptr)
        return absl::InvalidArgumentError("log handler option \"path\" must be a string");
      path = *s;
    } else if (o.name == "mode") {
      const auto* m = std::get_if<int64_t>(&o.value);
      if (m == nullptr || *m < 0 || *m > 07777) {
        return absl::InvalidArgumentError(
            "log handler option \"mode\" must be a file mode such as 0644");
      }
      mode = static_cast<int>(*m);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown log handler option \"", o.name, "\""));
    }
  }
  if (path.empty() || path[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("log handler path must be absolute, got \"", path, "\""));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode);
  if (fd < 0) {
    const int err = errno;
    return absl::Status(
        absl::ErrnoToStatusCode(err),
        absl::StrCat("log handler: cannot open \"", path, "\": ", std::strerror(err)));
  }
  return std::make_unique<LogHandler>(path, fd);
}

}  // namespace tick::nodes
