// Highlighting for .cadence text in CodeMirror: the word classes of the
// VS Code grammar (editors/vscode/syntaxes/cadence.tmLanguage.json).
import { StreamLanguage } from "@codemirror/language";

const words = (list) => new Set(list.split(" "));
const items = words("import entity extend link by template segment sequence");
const control = words("wait branch within yes no exit then goto outcome else on pause");
const steps = words("email sms call linkedin task");
const settings = words("title target team limit enroll calendar on_leave subject body where for mode variant text script note");
const signals = words("opened clicked replied bounced accepted meeting_booked unsubscribed out_of_office");
const operators = words("and or not in is null contains starts_with ends_with older than last next this");
const constants = words(
  "connected voicemail no_answer busy wrong_number not_interested callback_later connect message inmail research " +
    "introduction create_opportunity qualify disqualify handoff business all_days auto manual current_user my_teams " +
    "me_or_my_teams my_hierarchy my_hierarchy_and_teams today yesterday tomorrow week month year true false"
);
const types = words("string number bool date option");

export const KEYWORDS = [...items, ...control, ...steps, ...settings, ...signals, ...operators, ...constants, ...types];

export const cadenceLanguage = StreamLanguage.define({
  name: "cadence",
  startState: () => ({ inTripleString: false }),
  token(stream, state) {
    if (state.inTripleString) {
      if (stream.skipTo('"""')) {
        stream.match('"""');
        state.inTripleString = false;
      } else {
        stream.skipToEnd();
      }
      return "string";
    }
    if (stream.eatSpace()) return null;
    if (stream.match("//")) {
      stream.skipToEnd();
      return "comment";
    }
    if (stream.match('"""')) {
      state.inTripleString = true;
      return "string";
    }
    if (stream.match(/^"(?:[^"\\{]|\\.|\{(?!\{)|\{\{[^}]*\}\})*"/)) return "string";
    if (stream.match(/^\d+(?:[mhdw]\b|\/(?:day|week)\b|%)/)) return "number";
    if (stream.match(/^-?\d+(?:\.\d+)?/)) return "number";
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (word) {
      const text = word[0];
      if (items.has(text) || control.has(text)) return "keyword";
      if (steps.has(text)) return "typeName";
      if (settings.has(text)) return "propertyName";
      if (signals.has(text) || operators.has(text)) return "operatorKeyword";
      if (constants.has(text)) return "atom";
      if (types.has(text)) return "typeName";
      return "variableName";
    }
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "//" } },
});
