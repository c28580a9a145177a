package io.loyalflow.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.Problem;

/**
 * A send task that cannot work, refused at deployment. It is the engine's {@link ParseException}, so the
 * engine REST API answers Camunda Modeler with 400 and the element's id, line and column, as for a model the
 * engine cannot parse, instead of a 500.
 */
class SendTaskRefused extends ParseException {

    /** @param resources the deployment's process models (the parse does not say which one a problem is in) */
    SendTaskRefused(String resources, List<ElementProblem> problems) {
        super(
                problems.stream().map(ElementProblem::message).collect(Collectors.joining(". ")),
                resources,
                new ArrayList<Problem>(problems),
                List.of());
    }

    record ElementProblem(String message, int line, int column, String elementId) implements Problem {

        @Override
        public String getMessage() {
            return message;
        }

        @Override
        public int getLine() {
            return line;
        }

        @Override
        public int getColumn() {
            return column;
        }

        @Override
        public String getMainElementId() {
            return elementId;
        }

        @Override
        public List<String> getElementIds() {
            return elementId == null ? List.of() : List.of(elementId);
        }
    }
}
