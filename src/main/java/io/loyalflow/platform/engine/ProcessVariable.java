package io.loyalflow.platform.engine;

import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * A process variable's name and type, declared once and shared by the steps that write it, the code
 * that reads it and the tests (after holunda-io/camunda-bpm-data's {@code VariableFactory}, which is
 * built against Camunda 7.20 and needs the Kotlin runtime):
 * {@code CUSTOMER_ID.from(execution).get()}, {@code DELIVERY_ID.on(execution).set(id)}. Writes store
 * typed values ({@link Variables#stringValue} ...), so Cockpit and the REST API show the declared type.
 * The BPMN and DMN files name the same variables: they are the other side of the contract.
 */
public final class ProcessVariable<T> {

    private final String name;
    private final Class<T> type;
    private final Function<T, TypedValue> typed;

    private ProcessVariable(String name, Class<T> type, Function<T, TypedValue> typed) {
        this.name = name;
        this.type = type;
        this.typed = typed;
    }

    public static ProcessVariable<String> stringVariable(String name) {
        return new ProcessVariable<>(name, String.class, Variables::stringValue);
    }

    public static ProcessVariable<Integer> integerVariable(String name) {
        return new ProcessVariable<>(name, Integer.class, Variables::integerValue);
    }

    public static ProcessVariable<Long> longVariable(String name) {
        return new ProcessVariable<>(name, Long.class, Variables::longValue);
    }

    public static ProcessVariable<Double> doubleVariable(String name) {
        return new ProcessVariable<>(name, Double.class, Variables::doubleValue);
    }

    public static ProcessVariable<Boolean> booleanVariable(String name) {
        return new ProcessVariable<>(name, Boolean.class, Variables::booleanValue);
    }

    public static ProcessVariable<Date> dateVariable(String name) {
        return new ProcessVariable<>(name, Date.class, Variables::dateValue);
    }

    /** A variable whose value is whatever the model's expression gave it (a step input such as template data). */
    public static ProcessVariable<Object> anyVariable(String name) {
        return new ProcessVariable<>(name, Object.class, Variables::untypedValue);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** The value as the engine stores it, for builders that take a name and a value. */
    public TypedValue value(T value) {
        return typed.apply(value);
    }

    /** The same variable under another name, for a step whose model names the variable it writes. */
    public ProcessVariable<T> named(String otherName) {
        return new ProcessVariable<>(otherName, type, typed);
    }

    public Reader<T> from(VariableScope scope) {
        return new Reader<>(this, scope::getVariable, scope::getVariableLocal);
    }

    /** Reads from a running execution (or process instance) by its id. */
    public Reader<T> from(RuntimeService runtime, String executionId) {
        return new Reader<>(
                this,
                name -> runtime.getVariable(executionId, name),
                name -> runtime.getVariableLocal(executionId, name));
    }

    /** Reads from variables already fetched, e.g. an instance's variables or a historic query's. */
    public Reader<T> from(Map<String, ?> variables) {
        return new Reader<>(this, variables::get, variables::get);
    }

    public Writer<T> on(VariableScope scope) {
        return new Writer<>(this, scope::setVariable, scope::setVariableLocal, scope::removeVariable);
    }

    public Writer<T> on(RuntimeService runtime, String executionId) {
        return new Writer<>(
                this,
                (name, value) -> runtime.setVariable(executionId, name, value),
                (name, value) -> runtime.setVariableLocal(executionId, name, value),
                name -> runtime.removeVariable(executionId, name));
    }

    /** Writes into variables about to be handed to the engine (a process start, a correlation). */
    public Writer<T> on(Map<String, Object> variables) {
        return new Writer<>(this, variables::put, variables::put, variables::remove);
    }

    /**
     * A stored value (e.g. a historic variable's) converted to the declared type: numbers widen or narrow
     * when no digit is lost, anything reads as text.
     */
    public T valueOf(Object value) {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        if (value instanceof TypedValue typedValue) {
            return valueOf(typedValue.getValue());
        }
        if (value instanceof Number number) {
            if (type == Integer.class && number.doubleValue() == number.intValue()) {
                return type.cast(number.intValue());
            }
            if (type == Long.class && number.doubleValue() == number.longValue()) {
                return type.cast(number.longValue());
            }
            if (type == Double.class) {
                return type.cast(number.doubleValue());
            }
        }
        if (type == String.class) {
            return type.cast(value.toString());
        }
        throw new IllegalStateException("Process variable " + name + " holds "
                + value.getClass().getSimpleName() + " " + value + ", not " + type.getSimpleName());
    }

    @Override
    public String toString() {
        return name + " (" + type.getSimpleName() + ")";
    }

    /** Reads one variable from one scope. */
    public static final class Reader<T> {

        private final ProcessVariable<T> variable;
        private final Function<String, Object> read;
        private final Function<String, Object> readLocal;

        private Reader(ProcessVariable<T> variable, Function<String, Object> read, Function<String, Object> readLocal) {
            this.variable = variable;
            this.read = read;
            this.readLocal = readLocal;
        }

        /** The value, from this scope or one around it; refuses a missing variable. */
        public T get() {
            return getOptional().orElseThrow(() -> new IllegalStateException("No process variable " + variable.name));
        }

        /** Whether this scope, or one around it, holds a value (of whatever type). */
        public boolean isPresent() {
            return read.apply(variable.name) != null;
        }

        public Optional<T> getOptional() {
            return Optional.ofNullable(getOrNull());
        }

        public T getOrNull() {
            return variable.valueOf(read.apply(variable.name));
        }

        public T getOrDefault(T defaultValue) {
            return getOptional().orElse(defaultValue);
        }

        /** The value in this scope only (a task's input or a variable local to it). */
        public T getLocal() {
            return getLocalOptional()
                    .orElseThrow(() -> new IllegalStateException("No local variable " + variable.name));
        }

        public Optional<T> getLocalOptional() {
            return Optional.ofNullable(variable.valueOf(readLocal.apply(variable.name)));
        }
    }

    /** Writes one variable into one scope. */
    public static final class Writer<T> {

        private final ProcessVariable<T> variable;
        private final BiConsumer<String, Object> set;
        private final BiConsumer<String, Object> setLocal;
        private final Consumer<String> remove;

        private Writer(
                ProcessVariable<T> variable,
                BiConsumer<String, Object> set,
                BiConsumer<String, Object> setLocal,
                Consumer<String> remove) {
            this.variable = variable;
            this.set = set;
            this.setLocal = setLocal;
            this.remove = remove;
        }

        /** Sets the variable where it lives (else on the process instance), as the engine's setVariable does. */
        public Writer<T> set(T value) {
            set.accept(variable.name, variable.value(value));
            return this;
        }

        public Writer<T> setLocal(T value) {
            setLocal.accept(variable.name, variable.value(value));
            return this;
        }

        public Writer<T> remove() {
            remove.accept(variable.name);
            return this;
        }
    }
}
