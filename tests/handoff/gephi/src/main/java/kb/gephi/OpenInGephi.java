package kb.gephi;

import com.google.gson.stream.JsonWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.gephi.graph.api.AttributeUtils;
import org.gephi.graph.api.Column;
import org.gephi.graph.api.Edge;
import org.gephi.graph.api.Element;
import org.gephi.graph.api.Graph;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.Interval;
import org.gephi.graph.api.Node;
import org.gephi.graph.api.Origin;
import org.gephi.graph.api.Table;
import org.gephi.graph.api.TimeFormat;
import org.gephi.graph.api.types.IntervalMap;
import org.gephi.graph.api.types.IntervalSet;
import org.gephi.graph.api.types.TimestampMap;
import org.gephi.graph.api.types.TimestampSet;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.ContainerUnloader;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.importer.api.Issue;
import org.gephi.io.importer.api.Report;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.joda.time.DateTimeZone;
import org.openide.util.Lookup;

/**
 * Opens one file as Gephi Desktop 0.10.1 does and prints what Gephi sees as one JSON document.
 *
 * <p>The steps are Desktop's (modules/DesktopImport/.../DesktopImportControllerUI.java,
 * FinishImport.run): ImportController.importFile builds a container with the importer matching
 * the file's extension; container.verify() settles the graph type from the edges it accepted
 * (what the import dialog then preselects: "Directed", "Undirected" or "Mixed"); the dialog's
 * other options are left at their defaults (merge parallel edges by SUM, self-loops and
 * missing nodes allowed); ImportController.process(container, DefaultProcessor, workspace) is
 * "New workspace". Issues come from two reports: the importer's (shown in the import dialog)
 * and the processor's (shown after processing).
 *
 * <p>Usage: java -jar gephi-harness.jar FILE. Exit 0 with JSON on stdout; exit 2 when Gephi
 * cannot open the file at all (message on stderr).
 */
public final class OpenInGephi {

    private static final int ISSUE_LIMIT = Integer.MAX_VALUE;

    private OpenInGephi() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -jar gephi-harness.jar FILE");
            System.exit(64);
        }
        File file = new File(args[0]).getAbsoluteFile();
        if (!file.isFile()) {
            System.err.println("no such file: " + file);
            System.exit(2);
        }
        // Gephi's modules write progress lines to System.out; stdout must carry only the JSON.
        PrintStream stdout = System.out;
        System.setOut(System.err);

        ProjectController projects = Lookup.getDefault().lookup(ProjectController.class);
        projects.newProject();
        Workspace workspace = projects.getCurrentWorkspace();

        ImportController importer = Lookup.getDefault().lookup(ImportController.class);
        Container container;
        try {
            container = importer.importFile(file);
        } catch (RuntimeException error) {
            // Desktop shows the exception and opens nothing (malformed XML, for one).
            printFailure(stdout, file, "import", error);
            return;
        }
        if (container == null) {
            System.err.println("Gephi has no importer for " + file.getName());
            System.exit(2);
        }
        container.verify();
        Report importReport = container.getReport();
        importReport.close();

        // What the import dialog shows, taken before processing changes the container.
        ContainerFacts facts = ContainerFacts.of(container);

        DefaultProcessor processor = new DefaultProcessor();
        List<Issue> crashes = new ArrayList<>();
        try {
            importer.process(container, processor, workspace);
        } catch (RuntimeException error) {
            // Desktop shows the exception; what was loaded before it stays in the workspace.
            // (A Report refuses CRITICAL issues: it throws them.)
            crashes.add(new Issue(error.toString(), Issue.Level.CRITICAL));
        }
        Report processReport = processor.getReport();
        processReport.close();

        GraphModel model = Lookup.getDefault().lookup(GraphController.class).getGraphModel(workspace);
        // Not closed: closing the writer would close stdout before the last newline.
        JsonWriter json = new JsonWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
        json.setIndent("  ");
        json.setSerializeNulls(true);
        new Printer(json, model).print(file, importReport, processReport, crashes, facts);
        json.flush();
        stdout.println();
        stdout.flush();
        // The toolkit leaves non-daemon threads behind.
        System.exit(0);
    }

    /** The container as Desktop's import dialog presents it. */
    private record ContainerFacts(String edgeDefault, int nodeCount, int edgeCount, int mutualEdgeCount,
                                  boolean dynamicGraph, boolean dynamicAttributes, boolean multiGraph) {

        static ContainerFacts of(Container container) {
            ContainerUnloader unloader = container.getUnloader();
            return new ContainerFacts(unloader.getEdgeDefault().name(), unloader.getNodeCount(),
                unloader.getEdgeCount(), unloader.getMutualEdgeCount(), container.isDynamicGraph(),
                container.hasDynamicAttributes(), container.isMultiGraph());
        }
    }

    /** The document for a file Gephi could not read at all: one CRITICAL issue, no graph. */
    private static void printFailure(PrintStream stdout, File file, String stage,
                                     RuntimeException error) throws IOException {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        JsonWriter json = new JsonWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
        json.setIndent("  ");
        json.beginObject();
        json.name("gephi_toolkit").value("0.10.1");
        json.name("file").value(file.getPath());
        json.name("issues").beginArray().beginObject();
        json.name("stage").value(stage);
        json.name("level").value(Issue.Level.CRITICAL.name());
        json.name("message").value(cause.toString());
        json.endObject().endArray();
        json.name("node_count").value(0);
        json.name("edge_count").value(0);
        json.name("nodes").beginArray().endArray();
        json.name("edges").beginArray().endArray();
        json.endObject();
        json.flush();
        stdout.println();
        stdout.flush();
        System.exit(0);
    }

    private static final class Printer {

        private final JsonWriter json;
        private final GraphModel model;
        private final TimeFormat timeFormat;
        private final DateTimeZone timeZone;

        Printer(JsonWriter json, GraphModel model) {
            this.json = json;
            this.model = model;
            this.timeFormat = model.getTimeFormat();
            this.timeZone = model.getTimeZone();
        }

        void print(File file, Report importReport, Report processReport, List<Issue> crashes,
                   ContainerFacts container) throws IOException {
            Graph graph = model.getGraph();
            int directed = 0;
            int undirected = 0;
            for (Edge edge : graph.getEdges()) {
                if (edge.isDirected()) {
                    directed++;
                } else {
                    undirected++;
                }
            }
            json.beginObject();
            json.name("gephi_toolkit").value("0.10.1");
            json.name("file").value(file.getPath());
            json.name("issues").beginArray();
            issues("import", importReport);
            issues("process", processReport);
            for (Issue crash : crashes) {
                issue("process", crash);
            }
            json.endArray();
            json.name("container").beginObject();
            json.name("edge_default").value(container.edgeDefault());
            json.name("node_count").value(container.nodeCount());
            json.name("edge_count").value(container.edgeCount());
            json.name("mutual_edge_count").value(container.mutualEdgeCount());
            json.name("dynamic_graph").value(container.dynamicGraph());
            json.name("dynamic_attributes").value(container.dynamicAttributes());
            json.name("multigraph").value(container.multiGraph());
            json.endObject();
            String type = model.isMixed() ? "mixed" : model.isDirected() ? "directed" : "undirected";
            json.name("graph_type").value(type);
            json.name("node_count").value(graph.getNodeCount());
            json.name("edge_count").value(graph.getEdgeCount());
            json.name("directed_edge_count").value(directed);
            json.name("undirected_edge_count").value(undirected);
            json.name("time_format").value(timeFormat.name());
            json.name("time_representation").value(model.getConfiguration().getTimeRepresentation().name());
            json.name("edge_kinds").beginArray();
            for (Object label : model.getEdgeTypeLabels()) {
                value(label);
            }
            json.endArray();
            // The column Appearance > Partition and Filters > Edge Type use for `kind`.
            Column kindColumn = model.defaultColumns().edgeType();
            json.name("edge_kind_column").beginObject();
            json.name("id").value(kindColumn.getId());
            json.name("title").value(kindColumn.getTitle());
            json.endObject();
            json.name("node_columns");
            columns(model.getNodeTable());
            json.name("edge_columns");
            columns(model.getEdgeTable());
            json.name("nodes").beginArray();
            for (Node node : graph.getNodes()) {
                json.beginObject();
                json.name("id").value(String.valueOf(node.getId()));
                json.name("label").value(node.getLabel());
                json.name("intervals");
                intervals(node);
                json.name("attributes");
                attributes(node, model.getNodeTable());
                json.endObject();
            }
            json.endArray();
            json.name("edges").beginArray();
            for (Edge edge : graph.getEdges()) {
                json.beginObject();
                json.name("id").value(String.valueOf(edge.getId()));
                json.name("source").value(String.valueOf(edge.getSource().getId()));
                json.name("target").value(String.valueOf(edge.getTarget().getId()));
                json.name("directed").value(edge.isDirected());
                json.name("kind");
                value(edge.getTypeLabel());
                json.name("label").value(edge.getLabel());
                json.name("weight");
                value(edge.getAttribute("weight"));
                Interval[] spells = edge.getIntervals();
                json.name("interval_count").value(spells == null ? 0 : spells.length);
                json.name("intervals");
                intervals(edge);
                json.name("attributes");
                attributes(edge, model.getEdgeTable());
                json.endObject();
            }
            json.endArray();
            json.name("report").value(importReport.getText() + processReport.getText());
            json.endObject();
        }

        private void issues(String stage, Report report) throws IOException {
            Iterator<Issue> issues = report.getIssues(ISSUE_LIMIT);
            while (issues.hasNext()) {
                issue(stage, issues.next());
            }
        }

        private void issue(String stage, Issue issue) throws IOException {
            json.beginObject();
            json.name("stage").value(stage);
            json.name("level").value(issue.getLevel().name());
            json.name("message").value(issue.getMessage());
            json.endObject();
        }

        private void columns(Table table) throws IOException {
            json.beginArray();
            for (Column column : table) {
                json.beginObject();
                json.name("id").value(column.getId());
                json.name("title").value(column.getTitle());
                json.name("type").value(column.getTypeClass().getSimpleName());
                json.name("dynamic").value(column.isDynamic());
                json.name("property").value(column.isProperty());
                json.endObject();
            }
            json.endArray();
        }

        /** The data columns (those a file declares) and their values; properties are printed apart. */
        private void attributes(Element element, Table table) throws IOException {
            json.beginObject();
            for (Column column : table) {
                if (column.getOrigin() != Origin.DATA) {
                    continue;
                }
                json.name(column.getId());
                value(element.getAttribute(column));
            }
            json.endObject();
        }

        private void intervals(Element element) throws IOException {
            json.beginArray();
            Interval[] spells = element.getIntervals();
            if (spells != null) {
                for (Interval spell : spells) {
                    interval(spell);
                }
            }
            json.endArray();
        }

        private void interval(Interval spell) throws IOException {
            json.beginArray();
            json.value(time(spell.getLow()));
            json.value(time(spell.getHigh()));
            json.endArray();
        }

        private String time(double t) {
            if (Double.isInfinite(t)) {
                return t < 0 ? "-inf" : "inf";
            }
            return AttributeUtils.printTimestampInFormat(t, timeFormat, timeZone);
        }

        private void value(Object value) throws IOException {
            if (value == null) {
                json.nullValue();
            } else if (value instanceof IntervalMap) {
                IntervalMap<?> map = (IntervalMap<?>) value;
                Interval[] keys = map.toKeysArray();
                Object[] values = map.toValuesArray();
                json.beginArray();
                for (int i = 0; i < keys.length; i++) {
                    json.beginObject();
                    json.name("start").value(time(keys[i].getLow()));
                    json.name("end").value(time(keys[i].getHigh()));
                    json.name("value");
                    value(values[i]);
                    json.endObject();
                }
                json.endArray();
            } else if (value instanceof TimestampMap) {
                TimestampMap<?> map = (TimestampMap<?>) value;
                Double[] keys = map.toKeysArray();
                Object[] values = map.toValuesArray();
                json.beginArray();
                for (int i = 0; i < keys.length; i++) {
                    json.beginObject();
                    json.name("timestamp").value(time(keys[i]));
                    json.name("value");
                    value(values[i]);
                    json.endObject();
                }
                json.endArray();
            } else if (value instanceof IntervalSet) {
                json.beginArray();
                for (Interval spell : ((IntervalSet) value).toArray()) {
                    interval(spell);
                }
                json.endArray();
            } else if (value instanceof TimestampSet) {
                json.beginArray();
                for (double t : ((TimestampSet) value).toPrimitiveArray()) {
                    json.value(time(t));
                }
                json.endArray();
            } else if (value instanceof Boolean) {
                json.value((Boolean) value);
            } else if (value instanceof Number && Double.isFinite(((Number) value).doubleValue())) {
                json.value((Number) value);
            } else if (value.getClass().isArray()) {
                json.beginArray();
                for (int i = 0; i < Array.getLength(value); i++) {
                    value(Array.get(value, i));
                }
                json.endArray();
            } else if (value instanceof Collection) {
                json.beginArray();
                for (Object item : (Collection<?>) value) {
                    value(item);
                }
                json.endArray();
            } else {
                json.value(value.toString());
            }
        }
    }
}
