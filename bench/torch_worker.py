"""PyTorch CPU peer of `pnpm bench`: trains the bench's models on synthetic MNIST-shaped data, chunk by chunk.

bench/run.mjs starts this script and drives it over stdin/stdout, one JSON object per line each way, so that
PyTorch's chunks interleave with bnx's in the same time window:

  {"cmd": "info"}                                   -> {"torch", "blas", "threads", "omp_wait_policy", ...}
  {"cmd": "setup", "id": "a", "model": "mlp_bn", "batch": 128, "device": "cpu"}  -> {"ok": true}
  {"cmd": "chunk", "id": "a", "ms": 500}            -> {"units": samples trained, "seconds": wall time,
                                                        "cpuSeconds": CPU time of the process (all threads)}
  {"cmd": "dispose", "id": "a"}                     -> {"ok": true}
  {"cmd": "quit"}

Models (the same as bench/onnx.mjs builds for bnx): the 784-300-100-10 MLP, `mlp_bn` with BatchNorm1d before
each hidden ReLU and no bias before it; `cnn` is examples/seed-cnn.bnx's model (conv 32, relu, maxpool 2,
conv 64, relu, maxpool 2, flatten, dense 128, relu, dense 10; 3x3 convolutions, same padding), `cnn_bn` with
batch norm before each hidden activation. Every step is what a bnx step is: forward, cross-entropy, backward,
SGD with momentum 0.9, and the loss and the number correct read back (which also waits for a CUDA step to
finish, so chunk times are honest on "device": "cuda"). An error is answered as {"error": ...}.
"""

import json
import os
import sys
import time

try:
    import torch
    from torch import nn
except ImportError as err:  # run.mjs probes for torch before it starts the worker; this is for a direct call
    print(json.dumps({"error": f"cannot import torch: {err}"}), flush=True)
    sys.exit(1)


def mlp(with_bn):
    layers = []
    width = 784
    for units in (300, 100):
        layers.append(nn.Linear(width, units, bias=not with_bn))
        if with_bn:
            layers.append(nn.BatchNorm1d(units, momentum=0.1, eps=1e-5))
        layers.append(nn.ReLU())
        width = units
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers)


def cnn(with_bn):
    def block(c_in, c_out):
        conv = nn.Conv2d(c_in, c_out, 3, padding=1, bias=not with_bn)
        return [conv, *([nn.BatchNorm2d(c_out)] if with_bn else []), nn.ReLU(), nn.MaxPool2d(2)]

    return nn.Sequential(
        *block(1, 32),
        *block(32, 64),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 128, bias=not with_bn),
        *([nn.BatchNorm1d(128)] if with_bn else []),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


MODELS = {
    "mlp": (lambda: mlp(False), (784,)),
    "mlp_bn": (lambda: mlp(True), (784,)),
    "cnn": (lambda: cnn(False), (1, 28, 28)),
    "cnn_bn": (lambda: cnn(True), (1, 28, 28)),
}
POOL_BATCHES = 8  # distinct synthetic batches, visited in turn (as bench/onnx.mjs does)


class Workload:
    def __init__(self, model_name, batch, device="cpu"):
        if model_name not in MODELS:
            raise ValueError(f"unknown model '{model_name}' (known: {', '.join(MODELS)})")
        if device == "cuda" and not torch.cuda.is_available():
            raise ValueError("device cuda: this PyTorch sees no CUDA device")
        make, sample_shape = MODELS[model_name]
        torch.manual_seed(1)
        self.model = make().to(device).train()
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.01, momentum=0.9)
        self.loss_fn = nn.CrossEntropyLoss()
        self.batch = batch
        self.x = [torch.rand(batch, *sample_shape, device=device) for _ in range(POOL_BATCHES)]
        self.y = [torch.randint(0, 10, (batch,), device=device) for _ in range(POOL_BATCHES)]
        self.step_count = 0
        for _ in range(3):  # warm-up: allocations, the thread pool, oneDNN's kernels
            self.step()

    def step(self):
        k = self.step_count % POOL_BATCHES
        self.step_count += 1
        x, y = self.x[k], self.y[k]
        self.optimizer.zero_grad(set_to_none=True)
        logits = self.model(x)
        loss = self.loss_fn(logits, y)
        loss.backward()
        self.optimizer.step()
        return loss.item(), int((logits.argmax(1) == y).sum().item())

    def chunk(self, ms):
        steps = 0
        cpu = time.process_time()  # every thread of the process: OpenMP's pool included
        start = time.perf_counter()
        until = start + ms / 1000
        while time.perf_counter() < until:
            self.step()
            steps += 1
        return {"units": steps * self.batch, "seconds": time.perf_counter() - start, "cpuSeconds": time.process_time() - cpu}


def loaded_blas():
    """The BLAS and OpenMP libraries this process has mapped (Debian's PyTorch reports BLAS_INFO=generic:
    the real one is whichever libblas.so.3 the alternatives system points at)."""
    a = torch.rand(64, 64)
    (a @ a).sum().item()
    libs = set()
    try:
        with open("/proc/self/maps", encoding="utf8") as maps:
            for line in maps:
                path = line.split()[-1]
                name = os.path.basename(path)
                if path.startswith("/") and any(k in name for k in ("blas", "mkl_rt", "libgomp", "libiomp", "libomp")):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    try:
        from threadpoolctl import threadpool_info

        pools = [f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads)" for p in threadpool_info()]
    except ImportError:
        pools = None
    return sorted(libs), pools


def info():
    libs, pools = loaded_blas()
    names = [os.path.basename(p) for p in libs]
    # libblas.so.3 is only the alternatives' front: name the implementation behind it when it is loaded.
    blas = next((n for key in ("openblas", "mkl_rt", "blas") for n in names if key in n), "unknown")
    return {
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "blas": blas,
        "libraries": libs,
        "threadpools": pools,
        "threads": torch.get_num_threads(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    }


def main():
    threads = os.environ.get("OMP_NUM_THREADS")
    if threads:
        torch.set_num_threads(int(threads))
    workloads = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
            cmd = msg.get("cmd")
            if cmd == "info":
                reply = info()
            elif cmd == "setup":
                workloads[msg["id"]] = Workload(msg["model"], int(msg["batch"]), msg.get("device", "cpu"))
                reply = {"ok": True}
            elif cmd == "chunk":
                reply = workloads[msg["id"]].chunk(float(msg["ms"]))
            elif cmd == "dispose":
                workloads.pop(msg["id"], None)
                reply = {"ok": True}
            elif cmd == "quit":
                return
            else:
                reply = {"error": f"unknown command {cmd!r}"}
        except Exception as err:  # answered, not raised: the bench reports it and goes on without PyTorch
            reply = {"error": f"{type(err).__name__}: {err}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
