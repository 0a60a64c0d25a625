/**
 * `metric_declarations` semantics. Upstream: opentelemetry-collector-contrib v0.156.0
 * exporter/awsemfexporter/metric_declaration.go (`init`, `MatchesName`, `MatchesLabels`,
 * `ExtractDimensions`, `LabelMatcher.Matches`).
 *
 * Go `regexp` (RE2) is modelled with JavaScript RegExp. They agree on the plain selectors this
 * package's config uses (anchors, literals, alternation); RE2-only syntax such as `(?i)` throws.
 */

/** One `label_matchers` entry after validation. */
export interface LabelMatcher {
  labelNames: string[];
  separator: string;
  regex: RegExp;
}

/** One `metric_declarations` entry after `init`: sets sorted and de-duplicated. */
export interface MetricDeclaration {
  dimensions: string[][];
  metricNameSelectors: RegExp[];
  labelMatchers: LabelMatcher[];
}

/** Compiles a Go regex selector; an invalid one panics the collector (`regexp.MustCompile`). */
export function compileGoRegex(source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    throw new Error(`emf-preview: selector ${JSON.stringify(source)} is not a valid regex (the collector would panic)`, { cause: error });
  }
}

/**
 * metric_declaration.go `init`: sets with more than 10 names are dropped (warning), names are
 * de-duplicated within a set and sorted, duplicate sets are dropped.
 */
export function normaliseDimensionSets(sets: string[][], warnings: string[]): string[][] {
  const valid: string[][] = [];
  const seen = new Set<string>();
  for (const set of sets) {
    if (set.length > 10) {
      warnings.push(`Dropped dimension set: > 10 dimensions specified: ${set.join(',')}`);
      continue;
    }
    const sorted = [...new Set(set)].sort();
    const key = sorted.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    valid.push(sorted);
  }
  return valid;
}

/** `MatchesName`: any selector matches, unanchored (`regexp.MatchString`). */
export function matchesName(declaration: MetricDeclaration, metricName: string): boolean {
  return declaration.metricNameSelectors.some((selector) => selector.test(metricName));
}

/** `MatchesLabels`: no matchers means always; else any matcher on the joined label values. */
export function matchesLabels(declaration: MetricDeclaration, labels: ReadonlyMap<string, string>): boolean {
  if (declaration.labelMatchers.length === 0) return true;
  return declaration.labelMatchers.some((matcher) =>
    matcher.regex.test(matcher.labelNames.map((name) => labels.get(name) ?? '').join(matcher.separator)),
  );
}

/** `ExtractDimensions`: the declared sets whose every name is a label of the data point. */
export function extractDimensions(declaration: MetricDeclaration, labels: ReadonlyMap<string, string>): string[][] {
  return declaration.dimensions.filter((set) => set.every((name) => labels.has(name)));
}
