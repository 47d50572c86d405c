/** The JSON body of a response, as the contract type the test expects. */
export const bodyOf = async <T>(response: Response): Promise<T> => (await response.json()) as T;
