# casewatch_warnings: linked PRIVATE by our own targets only, never by third-party code.
add_library(casewatch_warnings INTERFACE)
target_compile_options(casewatch_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(CASEWATCH_WARNINGS_AS_ERRORS)
  target_compile_options(casewatch_warnings INTERFACE -Werror)
endif()
