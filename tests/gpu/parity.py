"""Parity checks on the GPU machine (run by run_gpu_checks.sh).

1. Our forward on CUDA equals our forward on CPU (same checkpoint).
2. The fused attention path (no --attentions) equals the explicit path.
3. When `transformers` is importable: a checkpoint written by Hugging Face
   save_pretrained (safetensors) loads into our CLI and gives its outputs, and one written
   by our `init` loads into transformers and gives ours. Prints max abs differences.
"""
import json
import os
import subprocess
import sys
import tempfile

import torch

cli, out_dir = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp()
failures = []


def run(*args):
    subprocess.run([cli, *args], check=True)


def forward(ckpt, ids, types, mask, device, extra=()):
    path_in, path_out = os.path.join(work, "in.json"), os.path.join(work, "out.json")
    with open(path_in, "w") as f:
        json.dump({"input_ids": ids, "token_type_ids": types, "attention_mask": mask}, f)
    run("forward", "--checkpoint", ckpt, "--input", path_in, "--output", path_out, "--device", device, *extra)
    with open(path_out) as f:
        return {k: torch.tensor(v) for k, v in json.load(f).items() if k not in ("attentions", "hidden_states")}


def check(name, a, b, tol):
    diff = (a - b).abs().max().item()
    ok = diff <= tol
    print(f"{'ok  ' if ok else 'FAIL'} {name}: max abs diff {diff:.3g} (tolerance {tol:g})")
    if not ok:
        failures.append(name)


torch.manual_seed(0)
ids = torch.randint(1000, 2000, (2, 12))
ids[:, 0] = 101
types = torch.zeros_like(ids)
types[:, 6:] = 1
mask = torch.ones_like(ids)
mask[1, 9:] = 0
args = (ids.tolist(), types.tolist(), mask.tolist())

ours = os.path.join(work, "ours")
run("init", "--preset", "mini", "--seed", "3", "--out", ours)
cpu = forward(ours, *args, "cpu", ("--attentions",))
gpu = forward(ours, *args, "cuda")
for key in ("last_hidden_state", "pooler_output", "prediction_logits", "seq_relationship_logits"):
    check(f"cuda vs cpu {key}", gpu[key], cpu[key], 2e-3)

try:
    import transformers
except ImportError:
    print("transformers not importable here: Hugging Face parity skipped")
    transformers = None

if transformers is not None:
    print("transformers", transformers.__version__)
    from transformers import BertConfig, BertForPreTraining

    with torch.no_grad():
        hf = BertForPreTraining.from_pretrained(ours).eval()
        r = hf(input_ids=ids, token_type_ids=types, attention_mask=mask)
    check("ours→HF prediction_logits", r.prediction_logits, cpu["prediction_logits"], 1e-4)
    check("ours→HF seq_relationship_logits", r.seq_relationship_logits, cpu["seq_relationship_logits"], 1e-4)

    for act in ("gelu", "gelu_new"):
        cfg = BertConfig(vocab_size=3000, hidden_size=64, num_hidden_layers=3, num_attention_heads=4,
                         intermediate_size=256, hidden_act=act)
        torch.manual_seed(1)
        model = BertForPreTraining(cfg).eval()
        folder = os.path.join(work, f"hf_{act}")
        model.save_pretrained(folder, safe_serialization=True)
        with torch.no_grad():
            r = model(input_ids=ids, token_type_ids=types, attention_mask=mask, output_hidden_states=True)
        mine = forward(folder, *args, "cpu")
        check(f"HF({act})→ours last_hidden_state", mine["last_hidden_state"], r.hidden_states[-1], 1e-4)
        check(f"HF({act})→ours prediction_logits", mine["prediction_logits"], r.prediction_logits, 1e-4)
        check(f"HF({act})→ours seq_relationship_logits", mine["seq_relationship_logits"], r.seq_relationship_logits, 1e-4)
        bare = os.path.join(work, f"hf_bare_{act}")
        model.bert.save_pretrained(bare, safe_serialization=True)
        mine_bare = forward(bare, *args, "cpu")
        with torch.no_grad():
            pooled = model.bert.pooler(r.hidden_states[-1])
        check(f"HF bare BertModel({act})→ours pooler_output", mine_bare["pooler_output"], pooled, 1e-4)

with open(os.path.join(out_dir, "parity.json"), "w") as f:
    json.dump({"failures": failures}, f)
sys.exit(1 if failures else 0)
