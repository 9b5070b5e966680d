export * from './problem-catalogue';
export * from './rdx-error';
