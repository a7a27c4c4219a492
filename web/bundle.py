"""Writes the scripts the book loads:

- `bundle.py GLUE WASM`: wasm-bindgen's no-modules glue (run in a Web Worker) and the
  WebAssembly module, base64, as `self.IOA_WASM = {glue, wasm}`;
- `bundle.py --scenarios DIR`: every bundled scenario, `self.IOA_SCENARIOS = {"chapter/x.toml": text}`,
  for the playground's menu.

One script each, so that the pages work opened from disk too (file://, where they may not fetch).
"""
import base64
import glob
import json
import os
import sys

if sys.argv[1] == "--scenarios":
    root = sys.argv[2]
    files = sorted(glob.glob(os.path.join(root, "*", "*.toml")))
    texts = {os.path.relpath(f, root): open(f, encoding="utf-8").read() for f in files}
    print("self.IOA_SCENARIOS = " + json.dumps(texts, sort_keys=True) + ";")
else:
    glue = open(sys.argv[1], encoding="utf-8").read()
    wasm = base64.b64encode(open(sys.argv[2], "rb").read()).decode("ascii")
    print("self.IOA_WASM = " + json.dumps({"glue": glue, "wasm": wasm}) + ";")
