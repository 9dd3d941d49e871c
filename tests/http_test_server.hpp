// SPDX-License-Identifier: MIT
// A scripted HTTP server on 127.0.0.1 (tests/data/http_server.py), started on a free port
// by the test itself and stopped when it goes out of scope. Never an outside address.
#pragma once

#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace casewatch::testing {

class HttpTestServer {
 public:
  explicit HttpTestServer(std::filesystem::path dir)
      : m_script(dir / "server-script.json"), m_log(dir / "server-log.jsonl") {
    write_script();
    int out[2];
    if (::pipe(out) != 0) {
      throw std::runtime_error("pipe failed");
    }
    m_pid = ::fork();
    if (m_pid == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      ::execlp("python3", "python3", CASEWATCH_HTTP_SERVER, m_script.c_str(), m_log.c_str(),
               static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') {
      line += c;
    }
    ::close(out[0]);
    if (line.empty()) {
      stop();
      throw std::runtime_error("the test HTTP server did not start");
    }
    m_port = std::stoi(line);
  }
  ~HttpTestServer() { stop(); }
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  // The responses to `path`, used in order; the last repeats (see http_server.py).
  void route(const std::string& path, nlohmann::json responses) {
    m_routes[path] = std::move(responses);
    write_script();
  }

  [[nodiscard]] std::string base() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  [[nodiscard]] std::string url(const std::string& path) const { return base() + path; }
  [[nodiscard]] int port() const { return m_port; }

  // Every request so far: {method, path, headers, body}.
  [[nodiscard]] std::vector<nlohmann::json> requests() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(m_log);
    std::string line;
    while (std::getline(in, line)) {
      out.push_back(nlohmann::json::parse(line));
    }
    return out;
  }
  [[nodiscard]] std::size_t count(const std::string& path) const {
    std::size_t n = 0;
    for (const auto& r : requests()) {
      std::string p = r["path"];
      if (p.substr(0, p.find('?')) == path) {
        ++n;
      }
    }
    return n;
  }

 private:
  void write_script() { std::ofstream(m_script) << m_routes.dump(); }
  void stop() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGTERM);
      ::waitpid(m_pid, nullptr, 0);
      m_pid = -1;
    }
  }

  std::filesystem::path m_script;
  std::filesystem::path m_log;
  nlohmann::json m_routes = nlohmann::json::object();
  pid_t m_pid = -1;
  int m_port = 0;
};

}  // namespace casewatch::testing
