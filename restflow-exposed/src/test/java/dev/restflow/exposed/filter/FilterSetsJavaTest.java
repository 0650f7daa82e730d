package dev.restflow.exposed.filter;

import org.jetbrains.exposed.v1.core.Expression;
import org.jetbrains.exposed.v1.core.OpBuilderKt;
import org.jetbrains.exposed.v1.jdbc.Database;
import org.jetbrains.exposed.v1.jdbc.Query;
import org.jetbrains.exposed.v1.jdbc.QueriesKt;
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionsKt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java builder, end to end on H2: every way of declaring a field, related fields, groups, ordering, apply. */
class FilterSetsJavaTest {
    private static final Books B = Books.INSTANCE;
    private static Database db;

    @BeforeAll
    static void rows() {
        db = BookRows.h2();
    }

    // region java-filter-set
    private final FilterSet books = FilterSets.forTable(B)
            .field(B.getId(), Lookup.EXACT, Lookup.IN, Lookup.GTE)
            .field(B.getStage(), f -> f.lookups("basic").choices(List.of(Stage.values())))
            .field(B.getKind(), f -> f.choices(List.of("novel", "reference", "leaflet")).description("kind of book"))
            .field(B.getPublished(), f -> f
                    .lookups("year", "year__gte", "date")
                    .part(Lookup.MONTH, Lookup.IN)
                    .alias("year__lt", "before")
                    .alias(Lookup.LTE, "max", "published on or before"))
            .related(B.getShelf(), Shelves.INSTANCE.getSlug(), f -> f.lookups("basic", "text"))
            .method("stage_is", FilterType.enumOf(Stage.class), stage -> OpBuilderKt.eq(B.getStage(), stage))
            .ordering("order_by", o -> {
                o.key("published", B.getPublished());
                o.key("title", B.getTitle());
            })
            .strict(true)
            .build();
    // endregion

    private List<Integer> ids(FilterSet set, Map<String, List<String>> params) {
        return TransactionsKt.transaction(db, null, null, tx -> {
            // region java-apply
            Query query = set.apply(QueriesKt.selectAll(B), params); // params: Map<String, List<String>>
            // endregion
            List<Integer> out = new ArrayList<>();
            query.forEach(row -> out.add(row.get(B.getId())));
            return out;
        });
    }

    @Test
    void lookupConstantsChoicesAndPartsFilterRows() {
        assertEquals(List.of(3, 4), ids(books, Map.of("id__gte", List.of("3"), "order_by", List.of("published"))));
        assertEquals(List.of(1, 4), ids(books, Map.of("stage", List.of("LIVE"), "order_by", List.of("title"))));
        assertEquals(List.of(2, 3), ids(books, Map.of("stage!", List.of("LIVE"), "order_by", List.of("published"))));
        assertEquals(List.of(3, 4), ids(books, Map.of("published__year__gte", List.of("2022"), "order_by", List.of("published"))));
        assertEquals(List.of(2, 4), ids(books, Map.of("published__month__in", List.of("4", "7"), "order_by", List.of("published"))));
        assertEquals(List.of(1, 2), ids(books, Map.of("published__before", List.of("2022"), "order_by", List.of("published"))));
        assertEquals(List.of(3), ids(books, Map.of("kind", List.of("reference"))));
        assertEquals(List.of(2), ids(books, Map.of("stage_is", List.of("DRAFT"))));
        assertEquals(List.of(1, 3, 4), ids(books, Map.of("stage_is!", List.of("DRAFT"), "order_by", List.of("published"))));
    }

    @Test
    void relatedFieldsAndTheirNegation() {
        assertEquals(List.of(3, 1), ids(books, Map.of("shelf__slug", List.of("office"), "order_by", List.of("title"))));
        assertEquals(List.of(4, 2), ids(books, Map.of("shelf__slug!", List.of("office"), "order_by", List.of("-title"))));
    }

    @Test
    void errorsAreKeyedByParameter() {
        FilterResult result = books.parse(Map.of(
                "stage", List.of("live"),
                "published__year__gte", List.of("soon"),
                "stage_is", List.of("x"),
                "colour", List.of("red"),
                "order_by", List.of("bogus")));
        Map<String, List<String>> errors = assertInstanceOf(FilterResult.Invalid.class, result).getErrors();
        assertEquals(List.of("\"live\" is not a valid choice."), errors.get("stage"));
        assertEquals(List.of("A valid integer is required."), errors.get("published__year__gte"));
        assertEquals(List.of("\"x\" is not a valid choice."), errors.get("stage_is"));
        assertEquals(List.of("Unknown query parameter."), errors.get("colour"));
        assertEquals(List.of("\"bogus\" is not a valid choice."), errors.get("order_by"));
    }

    @Test
    void theSetDescribesItsParameters() {
        FilterParameter max = books.getParameters().stream().filter(p -> p.getName().equals("published__max")).findFirst().orElseThrow();
        assertEquals("published published on or before", max.getDescription());
        FilterParameter kind = books.getParameters().stream().filter(p -> p.getName().equals("kind")).findFirst().orElseThrow();
        assertEquals("kind of book", kind.getDescription());
        assertEquals(List.of("novel", "reference", "leaflet"), kind.getEnumValues());
        FilterParameter months = books.getParameters().stream().filter(p -> p.getName().equals("published__month__in")).findFirst().orElseThrow();
        assertTrue(months.isArray());
        assertEquals("form", months.getStyle());
    }

    @Test
    void groupsCombineFromJava() {
        FilterSet either = FilterSets.forTable(B)
                .anyOf(g -> g.field(B.getKind(), "exact").field(B.getId(), "exact"))
                .build();
        assertEquals(List.of(2, 3), sortedIds(either, Map.of("kind", List.of("reference"), "id", List.of("2"))));
    }

    @Test
    void misconfigurationFailsWhenBuilt() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> FilterSets.forTable(B).field(B.getTitle(), "year__bogus"));
        assertTrue(unknown.getMessage().contains("Unknown lookup 'year__bogus'"), unknown.getMessage());
        IllegalArgumentException misfit = assertThrows(IllegalArgumentException.class,
                () -> FilterSets.forTable(B).field(B.getTitle(), Lookup.YEAR).build());
        assertTrue(misfit.getMessage().contains("does not apply"), misfit.getMessage());
        IllegalArgumentException noChoices = assertThrows(IllegalArgumentException.class,
                () -> FilterSets.forTable(B).field(B.getStage(), "exact").build());
        assertTrue(noChoices.getMessage().contains("customEnumeration"), noChoices.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FilterSets.forTable(B).field(B.getPublished(), f -> f.part(Lookup.ICONTAINS, Lookup.GTE)));
    }

    private List<Integer> sortedIds(FilterSet set, Map<String, List<String>> params) {
        List<Integer> ids = new ArrayList<>(ids(set, params));
        ids.sort(null);
        return ids;
    }

    @SuppressWarnings("unused")
    private static Expression<?>[] cols(Expression<?>... e) {
        return e;
    }
}
