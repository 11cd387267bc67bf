package io.opsmcp.tools.runbooks;

import io.opsmcp.toolkit.redact.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Full-text index of the runbooks in memory (Lucene {@link ByteBuffersDirectory}), built once at start. Ranking is
 * Lucene's BM25 over four fields with boosts — title 4, tags and id 3, applies_to 2, body 1 — and the query's
 * words are OR-ed (a runbook matching more of them ranks higher). Immutable after construction; thread-safe.
 */
final class RunbookIndex implements AutoCloseable {

    /**
     * One search result.
     *
     * @param runbook the runbook
     * @param score   BM25 relevance; only comparable within one search
     * @param snippet the body line that matches most query words, at most {@value #SNIPPET} characters
     */
    record Hit(Runbook runbook, float score, String snippet) {}

    static final int SNIPPET = 240;
    private static final Map<String, Float> BOOSTS = Map.of("title", 4f, "tags", 3f, "applies", 2f, "body", 1f);

    private final Analyzer indexAnalyzer = new RunbookAnalyzer(true);
    private final Analyzer queryAnalyzer = new RunbookAnalyzer(false);
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final List<Runbook> runbooks;

    RunbookIndex(List<Runbook> runbooks) {
        this.runbooks = List.copyOf(runbooks);
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(indexAnalyzer))) {
            for (int i = 0; i < this.runbooks.size(); i++) {
                Runbook r = this.runbooks.get(i);
                Document doc = new Document();
                doc.add(new StringField("ord", Integer.toString(i), Field.Store.YES));
                doc.add(new TextField("title", r.title(), Field.Store.NO));
                doc.add(new TextField(
                        "tags", r.id().replace('-', ' ') + " " + String.join(" ", r.tags()), Field.Store.NO));
                doc.add(new TextField(
                        "applies", String.join(" ", r.appliesTo()).replaceAll("[:_-]", " "), Field.Store.NO));
                doc.add(new TextField("body", r.body(), Field.Store.NO));
                for (String a : r.appliesTo()) {
                    doc.add(new StringField("applies_exact", a, Field.Store.NO));
                }
                writer.addDocument(doc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index the runbooks", e);
        }
        try {
            this.reader = DirectoryReader.open(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the runbook index", e);
        }
        this.searcher = new IndexSearcher(reader);
    }

    /**
     * Searches the runbooks.
     *
     * @param text      free text (error messages, symptoms); Lucene syntax characters are taken literally
     * @param appliesTo only runbooks whose {@code applies_to} lists this value, or {@code null}
     * @param limit     at most this many hits
     * @return hits, best first; empty when no word of the query occurs in any runbook
     */
    List<Hit> search(String text, String appliesTo, int limit) {
        Query query = parse(text);
        if (query == null && appliesTo == null) {
            return List.of();
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        if (query != null) {
            b.add(query, BooleanClause.Occur.MUST);
        }
        if (appliesTo != null) {
            b.add(
                    new TermQuery(new Term("applies_exact", appliesTo)),
                    query == null ? BooleanClause.Occur.MUST : BooleanClause.Occur.FILTER);
        }
        Set<String> terms = terms(queryAnalyzer, text == null ? "" : text);
        List<Hit> hits = new ArrayList<>();
        try {
            for (ScoreDoc sd : searcher.search(b.build(), limit).scoreDocs) {
                Runbook r = runbooks.get(Integer.parseInt(
                        searcher.storedFields().document(sd.doc).get("ord")));
                hits.add(new Hit(r, sd.score, snippet(r, terms)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("runbook search failed", e);
        }
        return hits;
    }

    private Query parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        MultiFieldQueryParser parser =
                new MultiFieldQueryParser(BOOSTS.keySet().toArray(String[]::new), queryAnalyzer, BOOSTS);
        parser.setDefaultOperator(QueryParser.Operator.OR);
        try {
            // lower-cased after escaping: AND/OR/NOT typed by a user are words, not operators
            return parser.parse(QueryParser.escape(text).toLowerCase(java.util.Locale.ROOT));
        } catch (ParseException e) {
            return null;
        } catch (org.apache.lucene.search.IndexSearcher.TooManyClauses e) {
            throw new IllegalArgumentException("query: too many words", e);
        }
    }

    /** The body line (not a heading) with the most distinct query terms; ties go to the earlier line. */
    private String snippet(Runbook r, Set<String> queryTerms) {
        String best = null;
        int bestCount = 0;
        for (String line : r.body().lines().toList()) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("```")) {
                continue;
            }
            Set<String> lineTerms = terms(indexAnalyzer, l);
            int count = 0;
            for (String t : queryTerms) {
                if (lineTerms.contains(t)) {
                    count++;
                }
            }
            if (count > bestCount) {
                best = l;
                bestCount = count;
            }
        }
        if (best == null) {
            best = r.body()
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .findFirst()
                    .orElse("");
        }
        best = best.replaceFirst("^[-*] |^\\d+\\. ", "");
        return new Redactor().cut(best, SNIPPET); // redacted before it is cut
    }

    private static Set<String> terms(Analyzer analyzer, String text) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream("body", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the runbook index", e);
        }
    }
}
