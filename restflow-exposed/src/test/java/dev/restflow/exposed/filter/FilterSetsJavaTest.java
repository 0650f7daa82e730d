package dev.restflow.exposed.filter;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class FilterSetsJavaTest {
    @Test
    void filterSetsAreBuiltAndParsedFromJava() {
        FilterSet set = FilterSets.forTable(Items.INSTANCE)
                .field(Items.INSTANCE.getStock(), "exact", "gte")
                .field(Items.INSTANCE.getName(), "exact", "icontains")
                .ordering("order_by", o -> o.key("stock", new org.jetbrains.exposed.v1.core.Expression<?>[]{Items.INSTANCE.getStock()}, false, Nulls.DEFAULT))
                .strict(true)
                .build();

        FilterResult ok = set.parse(Map.of("stock__gte", List.of("5"), "stock!", List.of("10"), "order_by", List.of("-stock")));
        assertInstanceOf(FilterResult.Valid.class, ok);

        FilterResult bad = set.parse(Map.of("stock__gte", List.of("many"), "colour", List.of("red")));
        FilterResult.Invalid invalid = assertInstanceOf(FilterResult.Invalid.class, bad);
        assertEquals(2, invalid.getErrors().size());
    }
}
