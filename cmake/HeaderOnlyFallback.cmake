# bertwb_header_only(<package> <target> <header>): use the package's CMake config when it is
# installed, else make <target> from the folder holding <header>.
function(bertwb_header_only package target header)
  find_package(${package} QUIET)
  if(TARGET ${target})
    return()
  endif()
  find_path(${package}_INCLUDE_DIR ${header})
  if(NOT ${package}_INCLUDE_DIR)
    message(FATAL_ERROR "${package} not found: install it (packaging/install-deps.sh) or put the folder "
                        "holding ${header} in CMAKE_INCLUDE_PATH")
  endif()
  add_library(${target} INTERFACE IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${${package}_INCLUDE_DIR}")
  message(STATUS "${package}: headers from ${${package}_INCLUDE_DIR}")
endfunction()
