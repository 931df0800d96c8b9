// "did you mean ...?" for misspelled layers, names, keys and arguments: @bnx/ir's, under the DSL's names.
export { closest as closestMatch, didYouMean, editDistance } from '@bnx/ir';
