package io.loyalflow.clv;

import java.util.Objects;

/**
 * What the customer-value models know of each customer, column by column (a million customers take
 * 28 bytes each, without ids), in the notation of the literature (docs/clv.md):
 * <ul>
 *   <li>x: repeat purchases, the purchase days after the first (purchases on one day count once);</li>
 *   <li>t_x: time from the first purchase to the last (0 when x = 0);</li>
 *   <li>T: time from the first purchase to the end of the calibration period;</li>
 *   <li>m: mean value of the repeat purchases (daily totals), 0 when x = 0; optional, only the spend
 *     model needs it.</li>
 * </ul>
 * Times are in one unit, weeks wherever this package makes summaries. The arrays are shared, not
 * copied: do not change them afterwards.
 */
public final class CustomerSummaries {

    private final String[] ids;
    private final int[] x;
    private final double[] tx;
    private final double[] T;
    private final double[] m;

    private CustomerSummaries(String[] ids, int[] x, double[] tx, double[] T, double[] m) {
        this.ids = ids;
        this.x = Objects.requireNonNull(x, "x");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.T = Objects.requireNonNull(T, "T");
        this.m = m;
        int n = x.length;
        if (tx.length != n || T.length != n || (m != null && m.length != n) || (ids != null && ids.length != n)) {
            throw new IllegalArgumentException("the columns differ in length");
        }
        for (int i = 0; i < n; i++) {
            if (x[i] < 0 || !(tx[i] >= 0) || !(T[i] >= tx[i]) || !Double.isFinite(T[i])) {
                throw new IllegalArgumentException(String.format(
                        "customer %s: need x >= 0 and 0 <= t_x <= T, got x = %d, t_x = %s, T = %s",
                        label(i), x[i], tx[i], T[i]));
            }
            if (x[i] == 0 && tx[i] != 0) {
                throw new IllegalArgumentException(
                        String.format("customer %s has no repeat purchase, so t_x must be 0, not %s", label(i), tx[i]));
            }
            if (m != null && !Double.isFinite(m[i])) {
                throw new IllegalArgumentException(String.format("customer %s: mean value %s", label(i), m[i]));
            }
        }
    }

    /** Customers without ids (synthetic data, or when the caller keeps the ids aligned itself). */
    public static CustomerSummaries of(int[] x, double[] tx, double[] T, double[] m) {
        return new CustomerSummaries(null, x, tx, T, m);
    }

    /** ids may be null; m may be null when no spend is known. */
    public static CustomerSummaries of(String[] ids, int[] x, double[] tx, double[] T, double[] m) {
        return new CustomerSummaries(ids, x, tx, T, m);
    }

    public int size() {
        return x.length;
    }

    /** The id of customer i, or null when the summaries have no ids. */
    public String id(int i) {
        return ids == null ? null : ids[i];
    }

    public int x(int i) {
        return x[i];
    }

    public double tx(int i) {
        return tx[i];
    }

    public double T(int i) {
        return T[i];
    }

    /** Mean repeat-purchase value of customer i (0 when x = 0). */
    public double m(int i) {
        if (m == null) {
            throw new IllegalStateException("these summaries have no purchase values");
        }
        return m[i];
    }

    public boolean hasValues() {
        return m != null;
    }

    public boolean hasIds() {
        return ids != null;
    }

    /** Customers with at least one repeat purchase, the ones the spend model is fitted on. */
    public int repeatBuyers() {
        int count = 0;
        for (int purchases : x) {
            count += purchases > 0 ? 1 : 0;
        }
        return count;
    }

    /** Bytes held by the numeric columns (the ids, when there are any, come on top). */
    public long numericBytes() {
        return (long) x.length * Integer.BYTES
                + 2L * tx.length * Double.BYTES
                + (m == null ? 0 : (long) m.length * Double.BYTES);
    }

    // the columns themselves, for the models of this package, which read them in tight loops
    int[] xColumn() {
        return x;
    }

    double[] txColumn() {
        return tx;
    }

    double[] TColumn() {
        return T;
    }

    double[] mColumn() {
        return m;
    }

    private String label(int i) {
        return ids == null ? "#" + i : ids[i];
    }
}
