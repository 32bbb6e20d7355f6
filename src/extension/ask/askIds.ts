// Ids of Ask the Memory's command and tools (package.json declares the same).
export const ASK_COMMAND = 'lightNetwork.askMemory';

export const ASK_TOOLS = {
  complete: 'lightNetwork_complete',
  find: 'lightNetwork_find',
  neighbors: 'lightNetwork_neighbors',
} as const;
