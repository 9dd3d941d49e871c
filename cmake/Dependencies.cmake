# All dependencies come from the system (Debian 12 packages); nothing is downloaded.
find_package(SQLiteCpp 3.2 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(date REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
# SHA-256 of the journal and the rules' digest (libcrypto, opened on first use: headers only).
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
if(CASEWATCH_BUILD_TESTS)
  find_package(GTest 1.12 REQUIRED)
endif()
