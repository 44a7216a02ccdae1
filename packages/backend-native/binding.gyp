{
  "variables": {
    "ds_cflags": ["-O3", "-fno-math-errno", "-fvisibility=hidden", "-std=c++17"]
  },
  "target_defaults": {
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc": ["<@(ds_cflags)", "-fexceptions"],
    "xcode_settings": {
      "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
      "OTHER_CPLUSPLUSFLAGS": ["<@(ds_cflags)"]
    },
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"]
  },
  "targets": [
    {
      "target_name": "deepspike_native",
      "sources": [
        "native/addon.cc",
        "native/gemm.cc",
        "native/gemm_narrow.cc",
        "native/pool.cc",
        "native/conv.cc",
        "native/winograd.cc",
        "native/pool2d.cc",
        "native/spiking.cc",
        "native/tdbn_lif.cc",
        "native/eltwise.cc",
        "native/peak.cc",
        "native/events.cc",
        "native/event_sim.cc",
        "native/ukernel_base.cc"
      ],
      "cflags_cc": ["-ffp-contract=off"],
      "dependencies": ["ds_scalar"],
      "conditions": [
        ["target_arch=='x64'", { "dependencies": ["ds_avx2", "ds_avx512"] }]
      ]
    },
    {
      "target_name": "ds_scalar",
      "type": "static_library",
      "sources": ["native/ukernel_scalar.cc"],
      "cflags_cc": ["-fno-tree-vectorize", "-fPIC", "-ffp-contract=off"]
    },
    {
      "target_name": "ds_avx2",
      "type": "static_library",
      "sources": ["native/ukernel_avx2.cc"],
      "cflags_cc": ["-mavx2", "-mfma", "-ffp-contract=fast", "-fPIC"]
    },
    {
      "target_name": "ds_avx512",
      "type": "static_library",
      "sources": ["native/ukernel_avx512.cc"],
      "cflags_cc": ["-mavx512f", "-mavx2", "-mfma", "-ffp-contract=fast", "-fPIC"]
    }
  ]
}
