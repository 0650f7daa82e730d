package dev.restflow.exposed.pagination;

import dev.restflow.exposed.postfetch.PostFetch;
import kotlin.Pair;
import kotlin.jvm.functions.Function1;
import org.jetbrains.exposed.v1.core.ResultRow;
import org.jetbrains.exposed.v1.core.SortOrder;
import org.jetbrains.exposed.v1.jdbc.Database;
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction;
import org.jetbrains.exposed.v1.jdbc.QueriesKt;
import org.jetbrains.exposed.v1.jdbc.Query;
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionsKt;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every paginator and PostFetch built and run from Java against H2 (45 items, scores i % 5, notes on items 1..3). */
class PaginatorsJavaTest {
    private static final String BASE = "http://shop.test/items";
    private final Database db = JavaPaginationFixtures.seededH2();

    private <T> T inTransaction(Function1<JdbcTransaction, T> block) {
        return TransactionsKt.transaction(db, null, null, block);
    }

    private static Query items() {
        return QueriesKt.selectAll(Items.INSTANCE).orderBy(Items.INSTANCE.getId(), SortOrder.ASC);
    }

    private static int id(ResultRow row) {
        return row.get(Items.INSTANCE.getId()).getValue();
    }

    private Page<Integer> page(Paginator paginator, Map<String, List<String>> params) {
        return inTransaction(tx -> paginator.paginate(items(), new PageRequest(params, BASE)).map(PaginatorsJavaTest::id));
    }

    @Test
    void pageNumberPaginatorsAreBuiltFromJava() {
        // region java-page-number
        Paginator built = Paginators.pageNumberBuilder()
                .pageSize(10)
                .maxPageSize(20)
                .estimatedCount()          // PostgreSQL only, from 10_000 estimated rows; estimatedCount(n) sets the threshold
                .build();
        Paginator simple = Paginators.pageNumber(15);   // the factories' @JvmOverloads work too
        // endregion
        Page<Integer> second = page(built, Map.of("page", List.of("2")));
        assertEquals(List.of(11, 12, 13, 14, 15, 16, 17, 18, 19, 20), second.getResults());
        assertEquals(45L, second.getCount());
        assertFalse(second.getCountEstimated(), "H2 always counts exactly");
        assertEquals(BASE + "?page=3", second.getNext());
        assertEquals(BASE, second.getPrevious());
        assertEquals(20, page(built, Map.of("page_size", List.of("500"))).getResults().size());

        Paginator overloads = simple;
        assertEquals(PageShape.COUNTED, overloads.getShape());
        assertEquals(List.of(31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45),
                page(overloads, Map.of("page", List.of("last"))).getResults());
        assertThrows(PaginationException.InvalidPage.class, () -> page(overloads, Map.of("page", List.of("4"))));
    }

    @Test
    void limitOffsetPaginatorsAreBuiltFromJava() {
        Paginator p = Paginators.limitOffsetBuilder().defaultLimit(5).maxLimit(10).maxOffset(40L).build();
        Page<Integer> page = page(p, Map.of("offset", List.of("40")));
        assertEquals(List.of(41, 42, 43, 44, 45), page.getResults());
        assertNull(page.getNext());
        assertEquals(BASE + "?offset=35&limit=5", page.getPrevious());
        assertThrows(PaginationException.OffsetTooDeep.class, () -> page(p, Map.of("offset", List.of("41"))));
    }

    @Test
    void fastPageNumberPaginatorsAreBuiltFromJava() {
        Paginator p = Paginators.fastPageNumberBuilder().pageSize(15).pageParam("p").pageSizeParam(null).build();
        Page<Integer> last = page(p, Map.of("p", List.of("3"), "page_size", List.of("2")));
        assertEquals(15, last.getResults().size(), "page_size is not read when its parameter is disabled");
        assertNull(last.getCount());
        assertNull(last.getNext());
        assertEquals(PageShape.FAST, p.getShape());
    }

    @Test
    void cursorPaginatorsAreBuiltFromJava() {
        byte[] secret = new byte[32];
        // region java-cursor
        Paginator p = Paginators.cursorBuilder(secret)
                .orderBy(Items.INSTANCE.getScore(), SortOrder.DESC)
                .orderBy(Items.INSTANCE.getId(), SortOrder.ASC)   // the unique tie-breaker comes last
                .pageSize(20)
                .build();
        // endregion
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, List<String>> params = cursor == null ? Map.of() : Map.of("cursor", List.of(cursor));
            Page<Integer> page = page(p, params);
            seen.addAll(page.getResults());
            cursor = page.getNext() == null ? null
                    : URLDecoder.decode(page.getNext().substring(page.getNext().indexOf("cursor=") + 7), StandardCharsets.UTF_8);
        } while (cursor != null);
        assertEquals(45, seen.size());
        assertEquals(List.of(4, 9, 14), seen.subList(0, 3), "score 4 first, ties by id");
        assertThrows(PaginationException.InvalidCursor.class, () -> page(p, Map.of("cursor", List.of("forged.cursor"))));
        assertThrows(IllegalArgumentException.class,
                () -> Paginators.cursorBuilder(secret).orderBy(Items.INSTANCE.getScore(), SortOrder.ASC).build());
    }

    @Test
    void postFetchIsBuiltFromJava() {
        // region java-post-fetch
        PostFetch latest = PostFetch.builder(Notes.INSTANCE, "latest_note")
                .join(Notes.INSTANCE.getItem(), Items.INSTANCE.getId())
                .values(Notes.INSTANCE.getId(), Notes.INSTANCE.getText())
                .orderBy(Notes.INSTANCE.getRank(), SortOrder.DESC)
                .limit(1)
                .build();
        // endregion
        PostFetch all = new PostFetch(Notes.INSTANCE, "notes",
                List.of(new Pair<>(Notes.INSTANCE.getItem(), Items.INSTANCE.getId())), List.of(Notes.INSTANCE.getText()));
        List<List<String>> attached = inTransaction(tx -> {
            List<ResultRow> parents = new ArrayList<>();
            items().limit(4).forEach(parents::add);
            List<List<String>> texts = new ArrayList<>();
            for (List<ResultRow> rows : latest.fetch(parents)) {
                texts.add(rows.stream().map(r -> r.get(Notes.INSTANCE.getText())).toList());
            }
            texts.add(List.of(String.valueOf(all.fetch(parents).get(0).size())));
            return texts;
        });
        assertEquals(List.of(List.of("n1-3"), List.of("n2-1"), List.of("n3-2"), List.of(), List.of("3")), attached);
    }
}
