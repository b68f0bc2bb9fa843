#!/usr/bin/env bash
# Extra CMake arguments for building llama.cpp on this machine's CPU.
# Normally none: GGML_NATIVE tunes the build to the CPU. On CPUs with Intel AMX that
# build crashes with SIGILL at the first matrix product (llama.cpp's AMX kernels load an
# invalid tile configuration; llama.cpp PR 26954), so there the native build is replaced
# by the same instruction sets named one by one, AMX left out.
set -euo pipefail
flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
case "$flags" in *" amx_tile "*) ;; *) exit 0 ;; esac
args="-DGGML_NATIVE=OFF"
add() { case "$flags" in *" $1 "*) args+=" -D$2=ON" ;; esac; }
add sse4_2 GGML_SSE42
add avx GGML_AVX
add avx2 GGML_AVX2
add bmi2 GGML_BMI2
add fma GGML_FMA
add f16c GGML_F16C
add avx_vnni GGML_AVX_VNNI
add avx512f GGML_AVX512
add avx512vbmi GGML_AVX512_VBMI
add avx512_vnni GGML_AVX512_VNNI
add avx512_bf16 GGML_AVX512_BF16
echo "$args"
