#!/usr/bin/env python3
"""Independent reference for NablaData's Shuffle: Philox-4x32-10 (Salmon et al., SC'11; the constants
of Random123), 64-bit words as PhiloxGenerator.next() forms them (word0 | word1 << 32, then words 2, 3),
Lemire's unbiased bounded integers, Fisher-Yates from the last position down. Prints the pinned values
of LoaderTests.swift (permutationIsPinned)."""
M = 0xFFFFFFFF

def block(key, c_lo, c_hi):
    x = [c_lo & M, c_lo >> 32, c_hi & M, c_hi >> 32]
    k0, k1 = key & M, key >> 32
    for _ in range(10):
        p0 = 0xD2511F53 * x[0]
        p1 = 0xCD9E8D57 * x[2]
        x = [((p1 >> 32) ^ x[1] ^ k0) & M, p1 & M, ((p0 >> 32) ^ x[3] ^ k1) & M, p0 & M]
        k0 = (k0 + 0x9E3779B9) & M
        k1 = (k1 + 0xBB67AE85) & M
    return x

def words64(key, c_lo, c_hi):
    while True:
        w = block(key, c_lo, c_hi)
        yield w[0] | w[1] << 32
        yield w[2] | w[3] << 32
        c_lo += 1

def uniform_below(bound, g):
    m = next(g) * bound
    if m & (2**64 - 1) < bound:
        threshold = (2**64 - bound) % bound
        while m & (2**64 - 1) < threshold:
            m = next(g) * bound
    return m >> 64

def permutation(count, seed, epoch):
    g = words64(seed, 0, epoch)
    p = list(range(count))
    for i in range(count - 1, 0, -1):
        j = uniform_below(i + 1, g)
        p[i], p[j] = p[j], p[i]
    return p

if __name__ == "__main__":
    print("epoch 0:", permutation(10, 42, 0))
    print("epoch 3:", permutation(10, 42, 3))
