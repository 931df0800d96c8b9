#!/usr/bin/env python3
"""Reference values for @bnx/metrics, computed independently with scipy.

Writes src/__fixtures__/scipy-reference.json, which src/reference.test.ts checks the TypeScript against.
Not run in CI (CI has no Python); rerun by hand after changing a case:

    python3 packages/metrics/scripts/reference_values.py

Produced with scipy 1.17.1 and numpy 2.4.6. Holm's adjustment and the median rule of the Kaplan-Meier
estimate are written out here by hand (scipy has neither); everything else is scipy's.
"""
import json
import math
import os

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', '__fixtures__', 'scipy-reference.json')


def student_t():
    cases = []
    for df in [1, 2, 3, 4.5, 9, 29, 100, 999, 1000, 1500, 1e4, 1e5, 1e6, 1e9]:
        for p in [0.6, 0.975, 0.995, 0.9999]:
            cases.append({'df': df, 'p': p, 'quantile': float(stats.t.ppf(p, df))})
        for t in [0.3, 1.96, 2.5, 4.0]:
            cases.append({'df': df, 't': t, 'two_sided_p': float(2 * stats.t.sf(t, df))})
    return cases


PAIRED = [
    # Five seeds, a consistent +0.5 points over a 2.5-point spread between seeds (the example).
    {'a': [0.950, 0.962, 0.938, 0.975, 0.944], 'b': [0.955, 0.966, 0.944, 0.980, 0.948]},
    # Three seeds that disagree in sign.
    {'a': [0.91, 0.93, 0.92], 'b': [0.92, 0.925, 0.935]},
    # Four seeds.
    {'a': [10.0, 12.0, 9.5, 11.0], 'b': [12.5, 13.0, 12.0, 14.5]},
    # Eight seeds, mixed.
    {'a': [0.31, 0.42, 0.27, 0.35, 0.39, 0.30, 0.33, 0.36], 'b': [0.25, 0.41, 0.22, 0.36, 0.30, 0.29, 0.27, 0.30]},
    # Two seeds.
    {'a': [1.0, 2.0], 'b': [1.5, 2.1]},
]


def paired():
    out = []
    for case in PAIRED:
        a = np.array(case['a'])
        b = np.array(case['b'])
        res = stats.ttest_rel(b, a)
        ci = res.confidence_interval(0.95)
        perm = stats.permutation_test((a, b), lambda x, y, axis: np.mean(y - x, axis=axis), vectorized=True,
                                      permutation_type='samples', n_resamples=np.inf, alternative='two-sided')
        out.append({**case, 't': float(res.statistic), 't_p': float(res.pvalue), 'ci95': [float(ci.low), float(ci.high)],
                    'sign_flip_p': float(perm.pvalue)})
    return out


def welch():
    cases = [
        {'a': [0.91, 0.93, 0.92, 0.95], 'b': [0.96, 0.95, 0.97]},
        {'a': [27.5, 21.0, 19.0, 23.6, 17.0, 17.9], 'b': [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8]},
    ]
    out = []
    for case in cases:
        res = stats.ttest_ind(case['b'], case['a'], equal_var=False)
        ci = res.confidence_interval(0.95)
        out.append({**case, 't': float(res.statistic), 'p': float(res.pvalue), 'df': float(res.df), 'ci95': [float(ci.low), float(ci.high)]})
    return out


# Time to target: (step, reached?) per run. The case first: the baseline reaches the target early in
# 2 of 5 seeds and never in 3 (censored at the last evaluation, 5000), batch norm later in all 5.
SURVIVAL = [
    {'a': [[1000, True], [1500, True], [5000, False], [5000, False], [5000, False]],
     'b': [[2500, True], [3000, True], [3000, True], [3500, True], [4000, True]]},
    {'a': [[6000, True], [7000, True], [8000, True], [9000, True], [10000, False]],
     'b': [[2000, True], [2500, True], [2500, True], [3000, True], [3500, True]]},
    {'a': [[300, True], [500, True], [500, False], [700, True], [900, True], [900, True], [1100, False]],
     'b': [[200, True], [400, True], [400, True], [600, False], [800, True], [1000, True]]},
    {'a': [[500, False], [500, False], [500, False]], 'b': [[200, True], [300, True], [300, True]]},
]


def censored(obs):
    return stats.CensoredData(uncensored=[t for t, e in obs if e], right=[t for t, e in obs if not e])


def km_median(times, sf, low, high):
    """First time at which a curve is at or below 0.5; an undefined band value counts as the estimate."""
    half = 0.5 + 1e-12

    def first(values):
        for t, v, s in zip(times, values, sf):
            v = s if math.isnan(v) else v
            if v <= half:
                return float(t)
        return None
    return first(sf), [first(low), first(high)]


def logrank_parts(a, b):
    """O - E and V for group b, written out (checked against scipy.stats.logrank below)."""
    times = np.array([t for t, _ in a + b], dtype=float)
    events = np.array([e for _, e in a + b], dtype=bool)
    in_b = np.array([False] * len(a) + [True] * len(b))
    u = v = 0.0
    for t in np.unique(times[events]):
        at_risk = times >= t
        n, nb = at_risk.sum(), (at_risk & in_b).sum()
        d, db = (events & (times == t)).sum(), (events & (times == t) & in_b).sum()
        u += db - nb * d / n
        if n > 1:
            v += nb * (n - nb) * d * (n - d) / (n ** 2 * (n - 1))
    return float(u), float(v)


def survival():
    out = []
    for case in SURVIVAL:
        a, b = case['a'], case['b']
        entry = {'a': a, 'b': b, 'km': {}}
        for side in ('a', 'b'):
            res = stats.ecdf(censored(case[side]))
            ci = res.sf.confidence_interval(0.95, method='log-log')
            times = res.sf.quantiles
            sf = res.sf.probabilities
            low, high = ci.low.probabilities, ci.high.probabilities
            median, median_ci = km_median(times, sf, low, high)
            entry['km'][side] = {'times': times.tolist(), 'survival': sf.tolist(),
                                 'low': [None if math.isnan(x) else float(x) for x in low],
                                 'high': [None if math.isnan(x) else float(x) for x in high],
                                 'median': median, 'median_ci95': median_ci}
        if any(e for _, e in a + b):
            lr = stats.logrank(censored(b), censored(a))
            u, v = logrank_parts(a, b)
            assert abs(u / math.sqrt(v) - lr.statistic) < 1e-12, (u, v, lr.statistic)
            data = a + b

            def stat(ia, ib, axis=-1):
                xs, ys = [data[int(i)] for i in ib], [data[int(i)] for i in ia]
                r = stats.logrank(censored(xs), censored(ys)).statistic
                return 0.0 if math.isnan(r) else r
            perm = stats.permutation_test((np.arange(len(a)), np.arange(len(a), len(a) + len(b))), stat,
                                          permutation_type='independent', n_resamples=np.inf, vectorized=False)
            entry['log_rank'] = {'z': float(lr.statistic), 'p': float(lr.pvalue), 'o_minus_e': u, 'variance': v,
                                 'exact_p': float(perm.pvalue)}
        out.append(entry)
    # Two strata at once (sweep points): O - E and V add up across strata.
    parts = [logrank_parts(c['a'], c['b']) for c in SURVIVAL[:3]]
    u = sum(p[0] for p in parts)
    v = sum(p[1] for p in parts)
    z = u / math.sqrt(v)
    return out, {'strata': [0, 1, 2], 'z': z, 'p': float(2 * stats.norm.sf(abs(z)))}


def fisher():
    tables = [[[3, 0], [0, 3]], [[1, 2], [0, 3]], [[5, 0], [0, 5]], [[2, 7], [8, 2]], [[0, 9], [4, 5]]]
    return [{'table': t, 'p': float(stats.fisher_exact(t).pvalue)} for t in tables]


def multiplicity():
    sets = [[0.01, 0.04, 0.03, 0.2], [0.001, 0.5, 0.049], [0.02, 0.02, 0.02, 0.02, 0.9]]
    out = []
    for ps in sets:
        m = len(ps)
        order = np.argsort(ps, kind='stable')
        holm = [0.0] * m
        running = 0.0
        for k, i in enumerate(order):
            running = max(running, min(1.0, (m - k) * ps[i]))
            holm[i] = running
        out.append({'p': ps, 'holm': holm, 'bh': stats.false_discovery_control(ps, method='bh').tolist()})
    return out


def main():
    surv, stratified = survival()
    data = {
        'generated_by': 'packages/metrics/scripts/reference_values.py',
        'scipy': __import__('scipy').__version__,
        'student_t': student_t(),
        'paired': paired(),
        'welch': welch(),
        'survival': surv,
        'stratified_log_rank': stratified,
        'fisher_exact': fisher(),
        'multiplicity': multiplicity(),
        'normal': [{'z': z, 'cdf': float(stats.norm.cdf(z))} for z in [-8.0, -5.0, -3.0, -1.96, 0.0, 1.0, 2.5]],
    }
    with open(OUT, 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
