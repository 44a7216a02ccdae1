{
  "targets": [
    {
      "target_name": "deepspike_mpi",
      "sources": ["native/mpi.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "OMPI_SKIP_MPICXX=1", "MPICH_SKIP_MPICXX=1"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-O2", "-fexceptions", "-std=c++17", "<!@(node scripts/mpi-flags.mjs compile)"],
      "libraries": ["<!@(node scripts/mpi-flags.mjs link)", "-ldl"]
    }
  ]
}
