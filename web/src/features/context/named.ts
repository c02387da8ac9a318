/** Teams and regions: the console names them, the panel shows them by alias (by name when the alias is empty). */
export interface Named {
  name: string;
  alias: string;
}

/** A SelectField's options for named items: their names in order, each shown as its alias, e.g. "开发团队". */
export const namedOptions = (items: readonly Named[]) => ({
  options: items.map((x) => x.name),
  optionLabel: (name: string) => items.find((x) => x.name === name)?.alias || name,
});
