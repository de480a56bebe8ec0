"""Prints, as JSON, every profile botocore reads from the AWS files in each directory given:
{dir: {"credentials": {profile: {key: value}}, "config": {profile: {key: value}}}}, or
{"__error__": "..."} for a file botocore refuses. The judge of what PoolPass's files mean.
"""
import json
import os
import sys

import botocore.configloader as cl

out = {}
for d in sys.argv[1:]:
    res = {}
    for kind in ("credentials", "config"):
        path = os.path.join(d, kind)
        if not os.path.exists(path):
            res[kind] = {}
            continue
        try:
            if kind == "credentials":
                res[kind] = cl.raw_config_parse(path)
            else:
                res[kind] = cl.load_config(path).get("profiles", {})
        except Exception as e:  # botocore's own errors: duplicate sections, parse errors...
            res[kind] = {"__error__": f"{type(e).__name__}: {e}"[:300]}
    out[d] = res
print(json.dumps(out, default=str))
