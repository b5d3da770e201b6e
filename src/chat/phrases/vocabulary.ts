/**
 * The synonyms people use for the things the bot knows, as regular-expression sources: one place,
 * so every command that names a VM or a job accepts the same words.
 */

/** A VM: "vms", "virtual machines", "machines", "servers", "instances", "boxes". */
export const VM_NOUNS = String.raw`(?:vms?|virtual\s+machines?|machines?|servers?|instances?|boxes)`;

/** Jobs: "jobs", "runs", "backup jobs", "backup runs". Plain "backups" counts only after a status word. */
export const JOB_NOUNS = String.raw`(?:(?:backup\s+)?(?:jobs|runs)|job\s+(?:status|list|history))`;

/** Words that ask for a list: "list", "show", "get", "display", "what are", "which". */
export const LIST_VERBS = String.raw`(?:list|show|get|display|view|see|check|which|what(?:\s+are)?)`;

/** Determiners before the noun of a list: "all the", "my", "our". */
export const DETERMINERS = String.raw`(?:(?:all|the|my|our|every|any|current)\s+)*`;

/**
 * What a question about a list may end with: "do we have", "are there", "are protected". The list
 * card says which are protected, so these questions need no filter.
 */
export const LIST_QUESTION_TAILS = String.raw`(?:\s+(?:do\s+(?:we|i)\s+have|have\s+(?:we|i)\s+got|are\s+there|exist|(?:are|is)\s+(?:there|set\s+up|configured|available|defined|protected|unprotected|not\s+protected|backed\s+up)))?`;
