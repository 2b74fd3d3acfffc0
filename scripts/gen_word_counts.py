#!/usr/bin/python3
"""A small sparse regression set in the svmlight format, for README.md's
"Sparse data" example: configs/data/word_counts.svm.

usage: gen_word_counts.py [--n 400] [--p 2000] [--seed 7] > word_counts.svm

Each row is a "document" of 8 to 15 distinct "words" out of p, word j
drawn with probability falling as j grows (u^2 scaled to p, so low
indices are common, as in text), each with a count of 1 to 3.  The target
is y = 2 x5 - 1.5 x12 + x30 + 0.8 x77 - x150 + noise, the noise the sum of
four uniforms on [-0.5, 0.5).  Lines are written as svmlight lines:
"y index:count ..." with increasing indices.

The random numbers come from a Lehmer generator (x -> 48271 x mod 2^31 - 1)
written out here, so the file is the same bytes on every Python, with no
numpy.
"""
import argparse
import sys

TRUE_COEF = {5: 2.0, 12: -1.5, 30: 1.0, 77: 0.8, 150: -1.0}


class Lehmer:
    """MINSTD (Park and Miller, 1988; the 48271 multiplier of their 1993 note)."""

    def __init__(self, seed):
        self.x = seed % 2147483647 or 1

    def uniform(self):
        self.x = self.x * 48271 % 2147483647
        return self.x / 2147483647.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--p", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = Lehmer(a.seed)
    out = sys.stdout
    for _ in range(a.n):
        k = 8 + int(rng.uniform() * 8)
        words = {}
        while len(words) < k:
            j = 1 + int(a.p * rng.uniform() ** 2)
            words[j] = 1 + int(rng.uniform() * 3)
        noise = sum(rng.uniform() - 0.5 for _ in range(4))
        y = sum(TRUE_COEF.get(j, 0.0) * c for j, c in words.items()) + noise
        out.write("%.4f %s\n" % (y, " ".join("%d:%d" % (j, words[j]) for j in sorted(words))))


if __name__ == "__main__":
    main()
