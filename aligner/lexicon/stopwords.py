"""Words that carry no lexical evidence for alignment: English function words and
dictionary shorthand, number words (the numbers module matches numbers by value),
and Chinese function words whose dictionary glosses are misleading content words
(了 'to finish', 在 'to exist', 一 'whole')."""

from __future__ import annotations

EN_STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against ago all almost along already also although always am among an and another
    any anybody anyone anything anyway anywhere are around as at away
    back be became because become becomes been before being below beside besides between both but by
    can cannot could did do does doing done down during
    each either else enough etc even ever every everybody everyone everything everywhere
    few for from further
    get gets getting got gotten had has have having he her here hers herself him himself his how however
    i if in indeed instead into is it its itself
    just least less let like many may me might mine more most much must my myself
    neither never no nobody none nor not nothing now nowhere
    of off often oh ok okay on once only onto or other others otherwise ought our ours ourselves out over own
    per perhaps quite rather
    same shall she should since so some somebody someone something sometimes somewhat somewhere
    still such than that the their theirs them themselves then there therefore these they thing things this
    those though through thus till to together too toward towards
    under until up upon us very via
    was we were what whatever when whenever where whereas wherever whether which while who whoever whole whom
    whose why will with within without would yes yet you your yours yourself yourselves
    mr mrs ms miss sir
    n't 's 'd 'll 're 've 'm
    don't doesn't didn't isn't aren't wasn't weren't won't wouldn't can't couldn't shouldn't haven't hasn't
    hadn't i'm i've i'll i'd you're you've you'll you'd he's she's it's we're we've we'll they're they've
    they'll that's there's what's let's
    """.split()
)

# Cardinal number words: the numbers module gives them value keys ('#3'), counting them
# here as well would count one number twice.
EN_NUMBER_WORDS: frozenset[str] = frozenset(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
    million billion trillion hundreds thousands millions billions dozen dozens
    """.split()
)

# Shorthand of CC-CEDICT glosses ("to do sth for sb", "lit. ...; fig. ...").
GLOSS_STOPWORDS: frozenset[str] = frozenset(
    """
    sb sth sb's sth's one's oneself lit fig esp usu e.g i.e ie eg pr cf abbr etc
    """.split()
)

# Chinese function words (particles, pronouns, auxiliaries, prepositions, conjunctions
# and adverbs) whose dictionary glosses would match unrelated English content words.
ZH_STOPWORDS: frozenset[str] = frozenset(
    """
    的 地 得 之 了 着 过 吗 呢 吧 啊 呀 哪 嘛 哦 哇 啦 么 罢 罢了 而已
    是 在 有 没 没有 不 别 也 都 就 才 又 还 再 很 太 更 最 已 已经 曾 曾经 正 正在 将 要 会 能 可 可以 该 应 应该
    和 与 及 以及 并 并且 而 而且 或 或者 但 但是 可是 却 如果 若 虽 虽然 因 因为 所以 于是 然后 那么 只是 不过 就是
    把 被 让 给 对 向 从 自 于 以 为 为了 由 跟 同 比 按 照 关于 对于 通过 等 等等
    这 那 这个 那个 这些 那些 这样 那样 这么 那么 这里 那里 这儿 那儿 哪里 什么 怎么 怎样 如何 为什么 谁 哪个
    我 你 您 他 她 它 我们 你们 他们 她们 它们 咱 咱们 自己 人家 大家 其 其他 其中 此 该
    一 一个 个 些 一些 每 各 某 所 所有 者
    """.split()
)
