package org.mptcp4j.pm;

/**
 * The in-kernel path manager's limits (what {@code ip mptcp limits} shows).
 *
 * @param subflows        additional subflows per connection (0-8)
 * @param addAddrAccepted ADD_ADDR announcements accepted per connection (0-8)
 */
public record Limits(int subflows, int addAddrAccepted) {
    public Limits {
        if (subflows < 0 || subflows > 8) {
            throw new IllegalArgumentException("subflows " + subflows + " is out of range: expected 0-8");
        }
        if (addAddrAccepted < 0 || addAddrAccepted > 8) {
            throw new IllegalArgumentException("add_addr_accepted " + addAddrAccepted + " is out of range: expected 0-8");
        }
    }

    /** As {@code ip mptcp limits show} prints it. */
    @Override
    public String toString() {
        return "add_addr_accepted " + addAddrAccepted + " subflows " + subflows;
    }
}
