package io.loyalflow.platform.engine;

import static io.loyalflow.platform.engine.ProcessVariable.anyVariable;
import static io.loyalflow.platform.engine.ProcessVariable.booleanVariable;
import static io.loyalflow.platform.engine.ProcessVariable.dateVariable;
import static io.loyalflow.platform.engine.ProcessVariable.doubleVariable;
import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.longVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.pvm.runtime.ExecutionImpl;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.junit.jupiter.api.Test;

/** Declared variables read and write the engine's scopes by their name, as typed values. */
class ProcessVariableTest {

    private static final ProcessVariable<String> CUSTOMER = stringVariable("customer");
    private static final ProcessVariable<Integer> VISITS = integerVariable("visits");
    private static final ProcessVariable<Long> CURSOR = longVariable("cursor");

    /** A process instance with one child execution (a task's scope), in memory. */
    private final ExecutionImpl instance = new ExecutionImpl();

    private final ExecutionImpl task = new ExecutionImpl();

    ProcessVariableTest() {
        task.setParent(instance);
    }

    @Test
    void writesTypedValuesWhereTheEngineWould() {
        CUSTOMER.on(task).set("c-1");
        assertThat(instance.getVariableLocal("customer"))
                .as("no local variable: the process instance's")
                .isEqualTo("c-1");
        assertThat(task.hasVariableLocal("customer")).isFalse();
        TypedValue stored = instance.getVariableLocalTyped("customer");
        assertThat(stored.getType()).isEqualTo(ValueType.STRING);

        VISITS.on(task).setLocal(2);
        assertThat(task.getVariableLocal("visits")).isEqualTo(2);
        assertThat(instance.hasVariableLocal("visits")).isFalse();
        assertThat(instance.<TypedValue>getVariableTyped("customer").getType()).isEqualTo(ValueType.STRING);
        assertThat(task.<TypedValue>getVariableLocalTyped("visits").getType()).isEqualTo(ValueType.INTEGER);

        CURSOR.on(task).set(7L);
        assertThat(instance.<TypedValue>getVariableLocalTyped("cursor").getType())
                .isEqualTo(ValueType.LONG);
        booleanVariable("more").on(instance).set(true);
        assertThat(instance.<TypedValue>getVariableLocalTyped("more").getType()).isEqualTo(ValueType.BOOLEAN);
        dateVariable("at").on(instance).set(new Date(0));
        assertThat(instance.<TypedValue>getVariableLocalTyped("at").getType()).isEqualTo(ValueType.DATE);
        doubleVariable("share").on(instance).set(0.5);
        assertThat(instance.<TypedValue>getVariableLocalTyped("share").getType())
                .isEqualTo(ValueType.DOUBLE);

        CUSTOMER.on(task).remove();
        assertThat(instance.hasVariable("customer")).isFalse();
    }

    @Test
    void readsFromTheScopeOrAroundIt() {
        instance.setVariableLocal("customer", "c-2");
        task.setVariableLocal("visits", 3);
        assertThat(CUSTOMER.from(task).get()).isEqualTo("c-2");
        assertThat(CUSTOMER.from(task).getLocalOptional())
                .as("not the task's own")
                .isEmpty();
        assertThat(VISITS.from(task).getLocal()).isEqualTo(3);
        assertThat(VISITS.from(instance).getOptional())
                .as("the task's is not the instance's")
                .isEmpty();
        assertThat(VISITS.from(instance).getOrDefault(0)).isZero();
        assertThat(VISITS.from(instance).getOrNull()).isNull();
        assertThat(VISITS.from(task).isPresent()).isTrue();
        assertThat(VISITS.from(instance).isPresent()).isFalse();
        assertThatThrownBy(() -> VISITS.from(instance).get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("visits");
        assertThatThrownBy(() -> CUSTOMER.from(task).getLocal())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("customer");
    }

    @Test
    void convertsWhatModelsAndOldInstancesStore() {
        instance.setVariableLocal("cursor", -1); // ${-1} in a model may be an Integer or a Long
        assertThat(CURSOR.from(instance).get()).isEqualTo(-1L);
        instance.setVariableLocal("visits", 4L);
        assertThat(VISITS.from(instance).get()).isEqualTo(4);
        instance.setVariableLocal("customer", 42);
        assertThat(CUSTOMER.from(instance).get())
                .as("an input given as a number reads as its text")
                .isEqualTo("42");
        assertThat(doubleVariable("share").valueOf(1)).isEqualTo(1.0);
        assertThat(anyVariable("data").valueOf(Map.of("a", 1))).isEqualTo(Map.of("a", 1));
        assertThat(VISITS.valueOf(Variables.integerValue(5))).isEqualTo(5);

        instance.setVariableLocal("visits", 4.5);
        assertThatThrownBy(() -> VISITS.from(instance).get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("visits")
                .hasMessageContaining("Integer");
        instance.setVariableLocal("cursor", "next");
        assertThatThrownBy(() -> CURSOR.from(instance).get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cursor");
    }

    @Test
    void readsAndWritesAnInstanceByItsIdAndVariablesAboutToStartOne() {
        RuntimeService runtime = mock(RuntimeService.class);
        when(runtime.getVariable("pi-1", "customer")).thenReturn("c-3");
        when(runtime.getVariableLocal("pi-1", "visits")).thenReturn(1);
        assertThat(CUSTOMER.from(runtime, "pi-1").get()).isEqualTo("c-3");
        assertThat(VISITS.from(runtime, "pi-1").getLocal()).isEqualTo(1);
        CUSTOMER.on(runtime, "pi-1").set("c-4");
        verify(runtime).setVariable("pi-1", "customer", Variables.stringValue("c-4"));
        VISITS.on(runtime, "pi-1").setLocal(2);
        verify(runtime).setVariableLocal("pi-1", "visits", Variables.integerValue(2));
        CUSTOMER.on(runtime, "pi-1").remove();
        verify(runtime).removeVariable("pi-1", "customer");

        Map<String, Object> variables = new HashMap<>();
        CUSTOMER.on(variables).set("c-5");
        assertThat(variables).containsEntry("customer", Variables.stringValue("c-5"));
        assertThat(CUSTOMER.from(variables).get()).isEqualTo("c-5");
    }

    @Test
    void anotherNameKeepsTheType() {
        ProcessVariable<Date> at = dateVariable("smartSendAt").named("reminderAt");
        assertThat(at.name()).isEqualTo("reminderAt");
        assertThat(at.type()).isEqualTo(Date.class);
        assertThat(at.value(new Date(0)).getType()).isEqualTo(ValueType.DATE);
        assertThat(at).hasToString("reminderAt (Date)");
    }
}
