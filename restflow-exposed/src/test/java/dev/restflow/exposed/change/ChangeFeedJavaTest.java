package dev.restflow.exposed.change;

import dev.restflow.exposed.filter.BookRows;
import dev.restflow.exposed.filter.Books;
import dev.restflow.exposed.filter.Shelves;
import org.jetbrains.exposed.v1.jdbc.Database;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Subscribing to committed changes from Java. */
class ChangeFeedJavaTest {
    @Test
    void javaListenersReceiveEachCommittedTransaction() throws Exception {
        Database db = BookRows.h2();
        List<List<TableChange>> commits = new ArrayList<>();
        try (AutoCloseable subscription = ChangeFeed.subscribe(db, (database, changes) -> commits.add(changes))) {
            BookRows.create(db); // one transaction: 4 shelves, then 4 books
        }
        assertEquals(1, commits.size());
        List<TableChange> changes = commits.get(0);
        assertEquals(8, changes.size());
        assertSame(Shelves.INSTANCE, changes.get(0).getTable());
        assertSame(Books.INSTANCE, changes.get(7).getTable());
        assertEquals(ChangeKind.INSERT, changes.get(7).getKind());
        assertEquals("Loose", changes.get(7).getRows().get(0).get(Books.INSTANCE.getTitle()));

        BookRows.create(db);
        assertEquals(1, commits.size(), "closing the subscription stops delivery");
    }
}
