package io.loyalflow.order;

import java.io.Closeable;
import java.io.IOException;

/** A stream of orders read one at a time, so an import never holds more than a chunk in memory. */
public interface OrderSource extends Closeable {

    /** The next order or unreadable entry, or null at the end. */
    ImportLine next() throws IOException;

    /** Set when the rest of the input cannot be read (e.g. broken CSV quoting); reading stops there. */
    default String fatalError() {
        return null;
    }
}
