"""Reference values for kalima's corpus statistics (tests/corpus_stats.rs, fit.rs tests).

Independent computations with PyPI packages:
  pip install numpy scipy scikit-learn powerlaw
Run: python scripts/corpus_stats_reference.py  (prints the values pasted into the tests).
"""
import math
import numpy as np
from scipy.optimize import minimize_scalar, minimize

# 1. Zipf rank model MLE on a fixed count list (fit.rs: zipf_mle_matches_scipy).
counts = np.array([500, 260, 170, 120, 100, 80, 70, 60, 50, 45, 3, 1, 1], float)
r = np.arange(1, len(counts) + 1, dtype=float)
def nll(s, q=0.0):
    l = np.log(r + q)
    return s * (counts * l).sum() + counts.sum() * np.log(np.exp(-s * l).sum())
res = minimize_scalar(nll, bounds=(0.01, 10), method="bounded", options={"xatol": 1e-12})
print("zipf s", repr(res.x), "ll", repr(-res.fun))
# Zipf–Mandelbrot by 2-D Nelder–Mead.
res2 = minimize(lambda p: nll(p[0], p[1]), x0=[1.0, 0.5], method="Nelder-Mead",
                options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
print("zm s q", repr(res2.x[0]), repr(res2.x[1]), "ll", repr(-res2.fun))

# 2. Discrete power law (Clauset et al. 2009) with the `powerlaw` package.
import powerlaw
data = []
x = 12345
for _ in range(3000):
    x = (x * 1103515245 + 12345) % 2**31
    u = ((x >> 8) % 1_000_000 + 0.5) / 1_000_000
    data.append(int(math.floor((1 - u) ** (-1 / 1.2))))  # discrete, tail exponent ~2.2
fit = powerlaw.Fit(data, discrete=True, estimate_discrete=False, verbose=False)
print("powerlaw alpha", repr(fit.power_law.alpha), "xmin", fit.power_law.xmin, "D", repr(fit.power_law.D))
fixed = powerlaw.Fit(data, discrete=True, estimate_discrete=False, xmin=3, verbose=False)
print("powerlaw xmin=3 alpha", repr(fixed.power_law.alpha), "D", repr(fixed.power_law.D))

# 3. tf-idf against scikit-learn on three tiny documents.
from sklearn.feature_extraction.text import TfidfVectorizer
docs = ["a b b c", "b c c c d", "a a e"]
for smooth, sub in [(True, False), (False, True)]:
    v = TfidfVectorizer(token_pattern=r"\S+", smooth_idf=smooth, sublinear_tf=sub, norm="l2")
    m = v.fit_transform(docs).toarray()
    print("sklearn smooth=%s sublinear=%s" % (smooth, sub), v.get_feature_names_out().tolist())
    for row in m:
        print("  ", [repr(float(x)) for x in row])
