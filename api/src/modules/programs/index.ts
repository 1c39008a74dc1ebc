/** Programs: therapist-designed plans of guidance, module by module, that groups run. */
export { ProgramEntity, ProgramModuleEntity, ProgramStatus } from './program.entity.js';
export { programLoaders } from './program.loaders.js';
export { ProgramResolver } from './program.resolver.js';
export { Program, ProgramModule } from './program.types.js';
