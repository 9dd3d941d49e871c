// SPDX-License-Identifier: MIT
#include "casewatch/cli/notify.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace casewatch::cli {
namespace {

// Writes all of `data` to `fd`, ignoring a reader that went away (EPIPE).
void write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

HookResult run_hook(const std::string& command, const std::string& input,
                    const std::vector<std::pair<std::string, std::string>>& env,
                    std::chrono::milliseconds limit) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return {false, fmt::format("cannot create a pipe: {}", std::strerror(errno))};
  }
  // A hook that does not read its input must not kill casewatch with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return {false, fmt::format("cannot start it: {}", std::strerror(errno))};
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(pipe_fds[0], STDIN_FILENO);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    for (const auto& [name, value] : env) {
      ::setenv(name.c_str(), value.c_str(), 1);
    }
    ::signal(SIGPIPE, SIG_DFL);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here, so the group exists whichever runs first
  ::close(pipe_fds[0]);
  write_all(pipe_fds[1], input);
  ::close(pipe_fds[1]);

  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (true) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      break;
    }
    if (done < 0 && errno != EINTR) {
      return {false, fmt::format("cannot wait for it: {}", std::strerror(errno))};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      auto seconds = std::chrono::duration_cast<std::chrono::duration<double>>(limit).count();
      return {false, fmt::format("timed out after {:g} s and was killed", seconds)};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status)) {
    int code = WEXITSTATUS(status);
    if (code == 0) {
      return {true, {}};
    }
    return {false, code == 127 ? "exited with status 127 (command not found?)"
                               : fmt::format("exited with status {}", code)};
  }
  if (WIFSIGNALED(status)) {
    return {false, fmt::format("was killed by signal {}", WTERMSIG(status))};
  }
  return {false, "ended abnormally"};
}

}  // namespace casewatch::cli
