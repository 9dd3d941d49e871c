# casewatch_options: build flags every target of ours shares (sanitizers when asked).
add_library(casewatch_options INTERFACE)
if(CASEWATCH_SANITIZE)
  # Not position independent: a sanitized binary carries megabytes of check data whose
  # relocations a PIE would apply at every start, and the CLI tests start it thousands of
  # times (the start-up is then twice as fast).
  target_compile_options(casewatch_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -fno-pie)
  target_link_options(casewatch_options INTERFACE -fsanitize=address,undefined -no-pie)
endif()

# The fuzz build (tests/fuzz): coverage for libFuzzer, AddressSanitizer and UBSan on every
# target of ours; the fuzz targets add -fsanitize=fuzzer when they link.
if(CASEWATCH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CASEWATCH_FUZZ needs clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++")
  endif()
  target_compile_options(casewatch_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
  target_link_options(casewatch_options INTERFACE -fsanitize=address,undefined)
endif()
