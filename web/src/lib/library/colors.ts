// A person's cursor colour: the server assigns `collabColor(id)` to every awareness state, so
// the own caret uses the same function and always matches what the others see.
export { collabColor as personColor } from '@crewdeck/shared/realtime';
