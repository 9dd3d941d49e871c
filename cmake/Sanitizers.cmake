# casewatch_options: build flags every target of ours shares (sanitizers when asked).
add_library(casewatch_options INTERFACE)
if(CASEWATCH_SANITIZE)
  target_compile_options(casewatch_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(casewatch_options INTERFACE -fsanitize=address,undefined)
endif()
