# Links the libraries of a pip-installed torch directly. Used where TorchConfig.cmake would
# need the CUDA toolkit (nvcc, headers) that the machine lacks: this project compiles no
# CUDA code, it only calls LibTorch, so the shared libraries and C++ headers suffice.
set(_torch "${BERTWB_TORCH_PYTHON_DIR}")
if(NOT EXISTS "${_torch}/include/torch/csrc/api/include/torch/torch.h")
  message(FATAL_ERROR "BERTWB_TORCH_PYTHON_DIR=${_torch} is not a torch package folder (no include/torch)")
endif()
execute_process(COMMAND python3 -c "import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))"
                OUTPUT_VARIABLE _abi OUTPUT_STRIP_TRAILING_WHITESPACE)
add_library(torch_from_python INTERFACE)
target_include_directories(torch_from_python SYSTEM INTERFACE "${_torch}/include"
                           "${_torch}/include/torch/csrc/api/include")
target_compile_definitions(torch_from_python INTERFACE _GLIBCXX_USE_CXX11_ABI=${_abi})
set(_libs c10 torch_cpu torch)
foreach(_cuda_lib c10_cuda torch_cuda)
  if(EXISTS "${_torch}/lib/lib${_cuda_lib}.so")
    list(APPEND _libs ${_cuda_lib})
    set(TORCH_FROM_PYTHON_CUDA ON)
  endif()
endforeach()
set(_paths)
foreach(_lib ${_libs})
  list(APPEND _paths "${_torch}/lib/lib${_lib}.so")
endforeach()
# --no-as-needed: nothing calls into libtorch_cuda directly, but loading it registers the
# CUDA backend; the linker would otherwise drop it.
target_link_libraries(torch_from_python INTERFACE -Wl,--no-as-needed ${_paths} -Wl,--as-needed)
target_link_options(torch_from_python INTERFACE "-Wl,-rpath,${_torch}/lib")
set(TORCH_LIBRARIES torch_from_python)
message(STATUS "LibTorch from ${_torch} (CXX11 ABI ${_abi}, CUDA libraries: ${TORCH_FROM_PYTHON_CUDA})")
