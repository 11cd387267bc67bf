package io.opsmcp.tools.runbooks;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Text analysis for runbook search: Unicode word breaks (UAX #29), lower case, English stop words, Porter stems.
 * At index time each token is also split into its parts ({@code ModuleNotFoundError} → module, not, found, error;
 * {@code OOMKilled} → oom, killed; {@code ERR_MODULE_NOT_FOUND} → err, module, …) and kept whole, so that a query
 * matches whether it quotes an error name or describes it in words. Queries are not split: the whole token
 * matches the kept original.
 */
final class RunbookAnalyzer extends Analyzer {

    private static final int SPLIT = WordDelimiterGraphFilter.GENERATE_WORD_PARTS
            | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
            | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
            | WordDelimiterGraphFilter.PRESERVE_ORIGINAL
            | WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;

    private final boolean forIndex;

    /** @param forIndex split tokens into parts (index time) or not (query time) */
    RunbookAnalyzer(boolean forIndex) {
        this.forIndex = forIndex;
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer source = new StandardTokenizer();
        TokenStream stream = source;
        if (forIndex) {
            stream = new FlattenGraphFilter(new WordDelimiterGraphFilter(stream, SPLIT, null));
        }
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }
}
