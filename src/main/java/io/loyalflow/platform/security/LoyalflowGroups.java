package io.loyalflow.platform.security;

import org.camunda.bpm.engine.authorization.Groups;

/** The groups of Camunda's identity service that Loyalflow's own API and endpoints recognise. */
public final class LoyalflowGroups {

    /** Camunda's built-in administrators: everything, everywhere. */
    public static final String ADMIN = Groups.CAMUNDA_ADMIN;
    /** Other services (shop, POS, CRM): write customers, orders and imports, start journeys. */
    public static final String SERVICE = "loyalflow-service";
    /** Business analysts and marketers: read-only reporting, Cockpit read access, deploy models from Modeler. */
    public static final String ANALYST = "loyalflow-analyst";
    /** Operators: Cockpit with the right to repair journeys (retry jobs, resolve incidents). */
    public static final String OPERATOR = "loyalflow-operator";
    /**
     * The shop's staff who act on journeys' Tasklist tasks (call a best customer, send a signed gift):
     * Tasklist, and the tasks their group is a candidate for; no Cockpit, no API.
     */
    public static final String TEAM = "loyalflow-team";
    /** Scrapers of /actuator/prometheus and the detailed health endpoint. */
    public static final String MONITORING = "loyalflow-monitoring";

    public static String authority(String group) {
        return "GROUP_" + group;
    }

    private LoyalflowGroups() {}
}
