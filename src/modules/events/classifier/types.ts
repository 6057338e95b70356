/**
 * Types of the city-event text classifier: labelled reports, the trained
 * model as it is stored in JSON, and what a classification returns.
 */

export type ReportLang = 'zh' | 'en' | 'mixed';

/** One labelled report of the corpus (or a dispatcher's correction). */
export interface LabelledReport {
  id: string;
  text: string;
  category: string;
  urgent: boolean;
  lang?: ReportLang;
}

/** What the classifier needs to know about a category from the taxonomy. */
export interface CategoryInfo {
  code: string;
  hours: number;
  urgentHours: number;
}

/** Knobs of the feature extractor; stored in the model so prediction tokenises the same way. */
export interface FeatureOptions {
  /** Word tokens from Intl.Segmenter for Chinese runs. */
  zhWords: boolean;
  /** Character bigrams over Chinese runs. */
  zhBigrams: boolean;
  /** Single Chinese characters (helps with typos and unseen compounds). */
  zhChars: boolean;
  /** English word bigrams (after stop-word removal). */
  enBigrams: boolean;
  /** Drop capitalised English words that do not start a sentence (place and person names). */
  dropProperNouns: boolean;
  /** Drop features seen in fewer training reports than this. */
  minDf: number;
  /** Multiplier of thesaurus-concept features before normalisation (0 turns them off). */
  conceptWeight: number;
  /** Also a feature for each pair of concepts found together ([lamp]+[dark] is not [signal]+[dark]). */
  conceptPairs: boolean;
}

/** Knobs of the optimiser. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on the category weights (per example, averaged). */
  l2: number;
  /** L2 penalty of the urgency model. */
  urgentL2: number;
  /**
   * Loss weight of urgent examples relative to the rest, as a power of the
   * class ratio: 0 = unweighted, 1 = fully balanced, 0.5 = square root.
   */
  urgentBalance: number;
  /**
   * Probability above which a report is flagged urgent. Below 0.5 on purpose:
   * a missed emergency costs more than a false alarm a dispatcher clears.
   */
  urgentThreshold: number;
  /** Features the urgency model sees: all of them, or only thesaurus concepts and cues (fewer, more general). */
  urgentFeatures: 'all' | 'concepts';
  seed: number;
}

export interface ScoredCategory {
  category: string;
  p: number;
}

export interface Classification {
  category: string;
  urgent: boolean;
  /** Probability of the chosen category (top-1 softmax probability). */
  confidence: number;
  /** Probability that the report is urgent. */
  urgentProbability: number;
  top3: ScoredCategory[];
  /** The tokens that weighed most for the chosen category, strongest first. */
  explanation: string[];
  modelVersion: string;
}

/** The trained model in the form it is serialised to JSON. */
export interface ClassifierModel {
  format: 'cityops-classifier/1';
  /** Short content hash: the same weights always give the same version. */
  version: string;
  features: FeatureOptions;
  train: TrainOptions & { examples: number };
  /** The concept thesaurus the features were built with ({concept: [forms]}). */
  concepts: Record<string, string[]>;
  categories: string[];
  /** Feature strings, sorted; index = feature id. */
  vocab: string[];
  idf: number[];
  /** Row-major [feature][category] weights of the category model, one row per feature. */
  weights: QuantisedMatrix;
  bias: number[];
  urgency: UrgencyModel;
}

/** A weight matrix stored as scaled integers (see quantise.logic.ts). */
export interface QuantisedMatrix {
  bits: 8 | 16;
  rowLength: number;
  length: number;
  /** One scale per row: value = integer × scale. */
  scales: number[];
  /** Little-endian two's-complement integers, base64. */
  data: string;
}

export interface UrgencyModel {
  /** One weight per vocabulary feature. */
  weights: QuantisedMatrix;
  bias: number;
  /** Weights of the two category-prior features (empirical log-odds, taxonomy urgentHours). */
  priorWeights: [number, number];
  /** Per category (same order as categories): smoothed log-odds of urgency in the training data. */
  categoryLogOdds: number[];
  /** Per category: the taxonomy prior feature, log(24 / urgentHours) scaled. */
  categoryHoursPrior: number[];
  threshold: number;
}
