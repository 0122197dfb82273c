/**
 * ROC AUC as the Mann-Whitney U statistic (ties count half); null without both positives and
 * negatives. Every score and the positives' scores are sorted apart (typed arrays, native sort,
 * no comparator), then one walk gives each positive the average rank of its run of equal scores:
 * the same sum as ranking rows sorted by score, without sorting an index by a JS comparator (most
 * of a million-row evaluation's time).
 */
export function binaryAuc(scores: ArrayLike<number>, positives: ArrayLike<boolean | number>): number | null {
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positives[i]) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const all = Float64Array.from(scores).sort();
  const positive = new Float64Array(nPos);
  for (let i = 0, p = 0; i < n; i++) if (positives[i]) positive[p++] = scores[i]!;
  positive.sort();
  let rankSumPositive = 0;
  let i = 0;
  let j = 0;
  while (j < nPos) {
    const v = positive[j]!;
    while (i < n && all[i]! < v) i++;
    let end = i;
    while (end < n && all[end] === v) end++;
    // Ranks i+1 .. end share the score v.
    const averageRank = (i + 1 + end) / 2;
    do {
      rankSumPositive += averageRank;
      j++;
    } while (j < nPos && positive[j] === v);
    i = end;
  }
  return (rankSumPositive - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
