#!/usr/bin/env bash
# The GPU machine's checks in one call: build core + CLI + benchmarks against the machine's
# CUDA LibTorch (no Qt there), then run CUDA-vs-CPU parity, Hugging Face parity (when
# `transformers` is importable) and the forward benchmark. Figures go to $OUT (or ./gpu-out).
# Header-only dependencies come from build/device-headers (copied there beforehand).
set -uo pipefail
out="${OUT:-$PWD/gpu-out}"
mkdir -p "$out"
exec > >(tee "$out/log.txt") 2>&1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
torch_dir=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())'
if ! command -v cmake >/dev/null; then
  # No CMake on the machine: compile the same sources with g++ directly.
  echo "no cmake here: building with g++ directly"
  abi=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
  flags=(-std=c++17 -O2 -fPIC -D_GLIBCXX_USE_CXX11_ABI=$abi -Icore/base -Icore/engine -Icore -Ibuild/device-headers
         -isystem "$torch_dir/include" -isystem "$torch_dir/include/torch/csrc/api/include")
  mkdir -p build/gpu/obj build/gpu/app/cli build/gpu/tests/bench
  # The demo world's JSON and the built-in experiments, embedded as cmake/EmbedJsonResources.cmake does it.
  python3 - <<'PY' || exit 1
import pathlib
def embed(folder, header, function, names_function, out):
    files = sorted(pathlib.Path(folder).glob("*.json"))
    branches = "".join(f'  if (name == "{p.name}") return R"json({p.read_text()})json";\n' for p in files)
    text = f'#include "{header}"\nnamespace bertwb {{\nstd::string_view {function}(std::string_view name) {{\n{branches}  return {{}};\n}}\n'
    if names_function:
        text += f'std::vector<std::string_view> {names_function}() {{\n  return {{' + ", ".join(f'"{p.name}"' for p in files) + '};\n}\n'
    pathlib.Path(out).write_text(text + '}\n')
embed("resources/demo_world", "data/demo_world_resources.h", "demoWorldResource", None, "build/gpu/demo_world_resources.cpp")
embed("resources/experiments", "experiments/builtin_experiments.h", "builtinExperimentText", "builtinExperimentFiles", "build/gpu/experiment_recipe_resources.cpp")
PY
  { ls core/base/*/*.cpp core/engine/*/*.cpp; printf '%s\n' build/gpu/demo_world_resources.cpp build/gpu/experiment_recipe_resources.cpp; } | xargs -P "$(nproc)" -I{} sh -c 'g++ "$@" -c {} -o build/gpu/obj/$(echo {} | tr / _).o' _ "${flags[@]}" || exit 1
  libs=(-L"$torch_dir/lib" -Wl,-rpath,"$torch_dir/lib" -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10)
  [ -f "$torch_dir/lib/libtorch_cuda.so" ] && libs+=(-ltorch_cuda -lc10_cuda)
  # The engine program alone is a whole CLI (app/cli/command_line.h); the front is left out.
  g++ "${flags[@]}" -Iapp/cli $(ls app/cli/*.cpp | grep -v front_main.cpp) build/gpu/obj/*.o "${libs[@]}" -o build/gpu/app/cli/bert-workbench-cli &
  g++ "${flags[@]}" tests/bench/bench_forward.cpp build/gpu/obj/*.o "${libs[@]}" -o build/gpu/tests/bench/bench_forward &
  g++ "${flags[@]}" tests/bench/bench_pretrain.cpp build/gpu/obj/*.o "${libs[@]}" -o build/gpu/tests/bench/bench_pretrain &
  wait
else
generator=$(command -v ninja >/dev/null && echo Ninja || echo "Unix Makefiles")
common=(-DCMAKE_BUILD_TYPE=Release -DBERTWB_GUI=OFF -DBERTWB_SPM_PLUGIN=OFF -DCMAKE_INCLUDE_PATH="$PWD/build/device-headers")
# Torch's own CMake config first (needs the CUDA toolkit); else link the pip libraries directly.
if ! cmake -S . -B build/gpu -G "$generator" "${common[@]}" \
     -DCMAKE_PREFIX_PATH="$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')" > "$out/configure.txt" 2>&1; then
  echo "TorchConfig failed (see configure.txt); linking torch from $torch_dir directly"
  rm -rf build/gpu
  cmake -S . -B build/gpu -G "$generator" "${common[@]}" -DBERTWB_TORCH_PYTHON_DIR="$torch_dir" >> "$out/configure.txt" 2>&1 \
    || { tail -30 "$out/configure.txt"; exit 1; }
fi
time cmake --build build/gpu -j "$(nproc)" > "$out/build.txt" 2>&1 || { grep -E "error" "$out/build.txt" | head -30; exit 1; }
fi
cli=build/gpu/app/cli/bert-workbench-cli
$cli info --preset base | grep -E "BertModel total|with pre-training"
python3 tests/gpu/parity.py "$cli" "$out" || echo "PARITY FAILED"
# fp32 and bf16 (the inference policy: weights stored in bf16 under autocast).
build/gpu/tests/bench/bench_forward --device cuda --presets tiny,mini,base,large --repeats 20 --precisions fp32,bf16 \
  | tee "$out/bench_forward_cuda.jsonl"
# Pre-training on CUDA: throughput and MFU at Base and Large in fp32, bf16 and fp16, then short
# demo runs through the CLI in bf16 and in fp16 with loss scaling. The demo's vocabulary
# comes prepared from build/device-headers/demo-tokenizer (this build has no SentencePiece
# trainer), so prepareDemoPretraining reuses it.
build/gpu/tests/bench/bench_pretrain --device cuda --precisions fp32,bf16,fp16 --configs base:32,large:32 --steps 20 \
  | tee "$out/bench_pretrain_cuda.jsonl"
# The precision policy on the GPU: auto must pick bf16 on Ampere and later (the start line
# says which and why); bf16 and fp16 (dynamic loss scaling) must both learn the demo.
for precision in auto bf16 fp16; do
  run=/tmp/gpu-demo-$precision
  rm -rf "$run" && mkdir -p "$run/demo-world/tokenizer"
  cp build/device-headers/demo-tokenizer/* "$run/demo-world/tokenizer/"
  $cli pretrain --demo --out "$run" --steps 600 --lr 2e-3 --device cuda --precision $precision --log-every 100 \
    2>&1 | tee "$out/pretrain_demo_cuda_$precision.txt" | tail -12
  cp "$run/metrics.jsonl" "$out/metrics_demo_cuda_$precision.jsonl" 2>/dev/null || true
done
