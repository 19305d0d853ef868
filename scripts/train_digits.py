#!/usr/bin/env python3
"""Train the handwritten-digit reader of scanned headers (issue 25) and write its weights as
plain matrices to rules/digits.tsv, which src/acquire/ocr/digits.rs runs.

    python3 scripts/train_digits.py [--check]

Data: scikit-learn's `load_digits`, the UCI "Optical Recognition of Handwritten Digits" set
(1,797 digits written by 43 people, 32x32 bitmaps reduced to 8x8 counts 0..16), shipped inside
the scikit-learn wheel (BSD-3-Clause package; data set CC BY 4.0, see rules/SOURCES.md).

Model: one hidden layer of 48 ReLU units, softmax over 0-9. Inputs are the 8x8 counts / 16.
Each training digit is also shifted by one cell and thickened (a pen on a scan is bolder than
the set's), so a crop that is off by a little still reads. Writers are unknown per sample, so
the split is by position: the last 20% are held out and their accuracy printed; `--check`
also writes 200 held-out digits to tests/data/digits_heldout.tsv for the Rust test.

Output format (rules/digits.tsv): lines `# comment`, then blocks `name rows cols` followed by
`rows` lines of `cols` tab-separated floats: w1 (64x48), b1 (1x48), w2 (48x10), b2 (1x10).
"""
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.neural_network import MLPClassifier

HIDDEN = 48


def augment(x, y):
    imgs = x.reshape(-1, 8, 8)
    out, labels = [imgs], [y]
    for dy, dx in [(0, 1), (0, -1), (1, 0), (-1, 0)]:
        out.append(np.roll(np.roll(imgs, dy, axis=1), dx, axis=2))
        labels.append(y)
    # Bolder strokes: the max with a copy shifted one cell right.
    out.append(np.maximum(imgs, np.roll(imgs, 1, axis=2)))
    labels.append(y)
    return np.concatenate(out).reshape(-1, 64), np.concatenate(labels)


def main():
    d = load_digits()
    x, y = d.data / 16.0, d.target
    n = int(len(x) * 0.8)
    xtr, ytr = augment(x[:n], y[:n])
    clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=1e-3, max_iter=400, random_state=0)
    clf.fit(xtr, ytr)
    acc = clf.score(x[n:], y[n:])
    p = clf.predict_proba(x[n:])
    sure = p.max(axis=1) >= 0.9
    print(f"held-out accuracy {acc:.3f} on {len(x) - n} digits; "
          f"at confidence >= 0.9: {sure.mean():.3f} of digits, accuracy "
          f"{(p.argmax(axis=1)[sure] == y[n:][sure]).mean():.3f}")
    with open("rules/digits.tsv", "w") as f:
        f.write("# Handwritten-digit reader (scripts/train_digits.py): 8x8 counts / 16 -> ReLU "
                f"{HIDDEN} -> softmax 10.\n")
        f.write(f"# Trained on scikit-learn load_digits (UCI optdigits, CC BY 4.0); held-out "
                f"accuracy {acc:.3f}.\n")
        for name, m in [("w1", clf.coefs_[0]), ("b1", clf.intercepts_[0][None, :]),
                        ("w2", clf.coefs_[1]), ("b2", clf.intercepts_[1][None, :])]:
            f.write(f"{name}\t{m.shape[0]}\t{m.shape[1]}\n")
            for row in m:
                f.write("\t".join(f"{v:.6g}" for v in row) + "\n")
    if "--check" in sys.argv:
        with open("tests/data/digits_heldout.tsv", "w") as f:
            f.write("# label, then the 64 counts (0..16) of a held-out UCI optdigits digit "
                    "(scripts/train_digits.py --check)\n")
            for img, label in zip(d.data[n:n + 200], y[n:n + 200]):
                f.write(f"{label}\t" + "\t".join(str(int(v)) for v in img) + "\n")


if __name__ == "__main__":
    main()
