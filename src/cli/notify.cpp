// SPDX-License-Identifier: MIT
#include "casewatch/cli/notify.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "progress.hpp"

namespace casewatch::cli {
namespace {

// The process group of the hook that is running, for the signal handler.
volatile sig_atomic_t g_hook_group = 0;

// SIGINT, SIGTERM or SIGHUP while a hook runs: end the hook's whole group too, then die of
// the same signal as casewatch would have.
extern "C" void end_hook_and_reraise(int sig) {
  if (g_hook_group > 0) {
    ::kill(-static_cast<pid_t>(g_hook_group), SIGKILL);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

constexpr std::array<int, 3> k_fatal_signals = {SIGINT, SIGTERM, SIGHUP};

// Installs end_hook_and_reraise for the time of one hook and restores what was there.
class SignalGuard {
 public:
  explicit SignalGuard(pid_t group) {
    g_hook_group = group;
    struct sigaction sa {};
    sa.sa_handler = end_hook_and_reraise;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < k_fatal_signals.size(); ++i) {
      ::sigaction(k_fatal_signals[i], &sa, &m_old[i]);
    }
  }
  ~SignalGuard() {
    for (std::size_t i = 0; i < k_fatal_signals.size(); ++i) {
      ::sigaction(k_fatal_signals[i], &m_old[i], nullptr);
    }
    g_hook_group = 0;
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  std::array<struct sigaction, k_fatal_signals.size()> m_old{};
};

}  // namespace

HookResult run_hook(const std::string& command, const std::string& input,
                    const std::vector<std::pair<std::string, std::string>>& env,
                    std::chrono::milliseconds limit) {
  erase_progress_line();  // the hook's output goes to stderr: from the left margin
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
  SignalGuard guard(pid);
  ::close(pipe_fds[0]);

  // The input is written as the hook reads it, without ever blocking: a hook that does not
  // read a finding larger than the pipe still meets its time limit.
  int in = pipe_fds[1];
  ::fcntl(in, F_SETFL, ::fcntl(in, F_GETFL) | O_NONBLOCK);
  std::size_t written = 0;
  auto close_input = [&] {
    if (in >= 0) {
      ::close(in);
      in = -1;
    }
  };
  if (input.empty()) {
    close_input();
  }

  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (true) {
    if (in >= 0) {
      ssize_t n = ::write(in, input.data() + written, input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        close_input();  // the hook closed its input (EPIPE): it does not want the rest
      }
      if (written == input.size()) {
        close_input();
      }
    }
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      break;
    }
    if (done < 0 && errno != EINTR) {
      close_input();
      return {false, fmt::format("cannot wait for it: {}", std::strerror(errno))};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      close_input();
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      auto seconds = std::chrono::duration_cast<std::chrono::duration<double>>(limit).count();
      return {false, fmt::format("timed out after {:g} s and was killed", seconds)};
    }
    if (in >= 0) {
      pollfd p{in, POLLOUT, 0};
      ::poll(&p, 1, 10);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  close_input();
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
