"""Impressions and engagement rates for the signal benchmark, as messy as real accounts'.

Only the accounts whose platform reports impressions get them (LinkedIn, X, Instagram and the
Facebook export); the others have no rate, as in life. Per account a usual rate and a spread
(a few percent on LinkedIn, about 1% on X; log-scale spreads 0.25 to 0.45 with Student t tails,
so a third of an account's posts sit beyond +-30% of its usual and natural 3x rates happen),
a format effect (video is watched more than reacted to), and three things that make rates hard:

- part of every post's engagement noise is rate noise (engagement is impressions times rate,
  see ``draw_rate``), so impressions are a little steadier than engagement, as in life;
- virality lowers the rate: a post that travels beyond the followers reaches people who react
  less (rate ~ planted multiple ** -0.2), so a 20x post has about half its usual rate;
- early on the rate is noisy: impressions accrue on their own curve (0.8 to 1.5 times the
  engagement's time constant, per post), so a post's rate at 6 hours differs from its final one
  by up to a third, and differently for every post;
- planted rate outliers (5% of posts, as for counts, 2x to 8x the usual rate, the 2x and 2.5x ones in the grey
  zone), whose counts mostly stay ordinary: such a post gains only ``multiple ** U(0, 0.6)`` in
  engagement, the rest comes from fewer impressions, the "very high rate, ordinary counts" case.

The truth of a post's rate is its *rate multiple*: final rate over the account's usual rate for
its format, planted factor and natural noise included, like the counts' exceptionality.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

# A rate is judged from 1,000 impressions on (``DetectionRules.rate_impressions``): a post that
# never reached them has no rate anyone can judge, like a post with too few earlier posts.
JUDGEABLE_IMPRESSIONS = 1_000
PLANTED_RATES = (2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
FORMAT_RATES = {"video": 0.8, "image": 1.1, "text": 1.0, "link": 0.9}
VIRALITY = 0.2  # rate ~ planted engagement multiple ** -VIRALITY


@dataclass(frozen=True)
class RateSpec:
    usual: float  # the account's median engagement rate (interactions per impression)
    spread: float  # scale of the log-rate noise
    tail: float = 5.0  # Student t degrees of freedom


RATE_ACCOUNTS = {
    "acme": RateSpec(0.030, 0.25),
    "acme-careers": RateSpec(0.050, 0.30),
    "acme-x": RateSpec(0.012, 0.45),
    "acme-ig": RateSpec(0.040, 0.35),
    "acme-fb": RateSpec(0.020, 0.40),
}


@dataclass(frozen=True)
class RateDraw:
    """One post's rate: what it is, how far from usual, and what it does to the counts."""

    rate: float  # final interactions per impression
    multiple: float  # rate over the account's usual for the format: the truth
    boost: float  # times the engagement multiple is raised by a planted rate
    impressions_lag: float  # impressions' time constant over the engagement's


def draw_rate(
    rng: random.Random, spec: RateSpec, fmt: str, noise: float, planted: float, spread: float
) -> RateDraw:
    """A rate for a post whose engagement is ``noise * planted`` times its usual.

    Engagement is impressions times rate, so part of a post's engagement noise *is* rate noise:
    with independent log-normal impressions and rate, the rate's share of the engagement's log
    variance is ``w = rate spread^2 / engagement spread^2``, and given the engagement noise the
    rate noise is ``noise ** w`` times a narrower noise of its own. Drawing the rate apart from
    the engagement instead would make impressions wilder than engagement, which they are not.
    A planted (viral) multiplier lowers the rate (``VIRALITY``).
    """
    share = min(spec.spread**2 / spread**2, 0.8)
    own = spec.spread * math.sqrt(1 - share)
    wobble = math.exp(
        own * rng.gauss(0, 1) / math.sqrt(rng.gammavariate(spec.tail / 2, 2 / spec.tail))
    )
    rate_planted = rng.choice(PLANTED_RATES) if rng.random() < 0.05 else 1.0
    boost = rate_planted ** rng.uniform(0, 0.6) if rate_planted > 1 else 1.0
    multiple = noise**share * wobble * rate_planted * planted**-VIRALITY
    lag = rng.uniform(0.8, 1.5)
    usual = spec.usual * FORMAT_RATES[fmt]
    rate = min(usual * multiple, 0.9)  # nobody's rate is over 90%
    return RateDraw(rate=rate, multiple=rate / usual, boost=boost, impressions_lag=lag)


def impressions_at(final: float, age_hours: float, tau_hours: float) -> int:
    """Impressions by ``age_hours`` on a curve with time constant ``tau_hours``."""
    return max(round(final * (1 - math.exp(-age_hours / tau_hours))), 0)
